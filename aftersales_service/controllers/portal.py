"""Customer portal: placeholder, filled in by the portal work."""
