"""Videos: upload, processing (probe, transcode, captions), signed playback, the watch page,
and the admin's Videos section and chooser. Like `wagtail.images` for images."""
