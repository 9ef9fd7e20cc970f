"""The Textual interface: thin screens over the planner and the store."""
