"""The translation catalogues (`<language>/LC_MESSAGES/opsplanner.po`, compiled to `.mo`)
and the tool that keeps them in step with the code (`python -m opsplanner.locale.update`)."""
