"""Dashboard views: each turns metric results into a PageView (no SQL, no new numbers)."""
