"""The web dashboard, served by the same app over the same metrics layer."""
