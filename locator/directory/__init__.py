"""Directory data in and out: the normalised program record, upserts, seed, importers, exporters."""
