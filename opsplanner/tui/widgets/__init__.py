"""Widgets take domain objects and post messages; they never touch the store."""
