"""Line attribution: matching committed lines to earlier AI changes by fingerprint.

Today commits carry the attribution their client computed (``CommitFact.attribution`` and
``rangeAnnotations``); server-side attribution from fingerprints lands here.
"""
