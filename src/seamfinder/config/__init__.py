"""Settings: the configuration file, declared and adopted contracts, run options."""
