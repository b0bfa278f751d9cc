"""The videos app's views: the upload protocol, signed streams and progress, the watch page."""
