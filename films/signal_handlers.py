"""Signal handlers for films (none yet beyond the page cache, which lives in home)."""
