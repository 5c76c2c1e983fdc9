"""The data-access pass's interpreter: traversal, scopes, values, string templates, sink."""
