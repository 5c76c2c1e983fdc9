"""The command line and the application functions behind each command."""
