"""The image renditions films, people, collections and the home page show, named once.

The site's templates, the listings' prefetches and the API ask for the same filter specs, so a
rendition made for a page is the one the API hands out (and the one `prefetch_renditions` loads).
"""

CARD_POSTER_FILTER = "fill-360x540|format-webp"
DETAIL_POSTER_FILTER = "fill-600x900|format-webp"
STILL_FILTER = "fill-960x540|format-webp"
PERSON_PHOTO_FILTER = "fill-240x240|format-webp"
COVER_FILTER = "fill-960x540|format-webp"
HERO_FILTER = "fill-1600x900|format-webp"
