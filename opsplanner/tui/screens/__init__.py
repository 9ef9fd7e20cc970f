"""One module per screen; screens talk to the store through the app."""
