"""Media from local storage, for sites without S3 (with S3 every media URL points at the bucket).

Under MEDIA_URL this serves what pages show and nothing else:

- ``images/``: renditions, and ``original_images/``: originals, of images the requester may see
  (`films.media_access`: used by public content, or theirs to choose in the admin);
- ``avatars/``: members' avatars, shown on public profiles under random names.

Documents are not served here (Wagtail's document view checks who asks), and video files are not
under MEDIA_ROOT at all (VIDEO_ROOT). Django's static `serve` sends the file with its type, length
and Last-Modified and answers If-Modified-Since with 304 (no byte ranges: browsers fetch images
whole). A caching proxy in front (nginx `proxy_cache`, a CDN) may keep the answers marked public;
a web server must never serve MEDIA_ROOT itself, or documents and private images would be public.
"""

import posixpath

from django.core.files.storage import default_storage
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve
from wagtail.images import get_image_model

from ..media_access import is_public, may_choose

# Public files may sit in browser and proxy caches this long (an image a page stops using stays
# reachable there until then); a file served because of who asks is never stored by a shared cache.
PUBLIC_MAX_AGE = 3600
PUBLIC_FOLDERS = {"avatars"}
IMAGE_FOLDERS = {"images", "original_images"}


def _image_for(name: str):
    """The image stored at ``name``: an original, or the image a rendition was made from."""
    Image = get_image_model()
    if name.startswith("original_images/"):
        return Image.objects.filter(file=name).first()
    rendition = Image.get_rendition_model().objects.filter(file=name).select_related("image").first()
    return rendition.image if rendition else None


@require_safe
def serve_media(request, path):
    name = posixpath.normpath(path).lstrip("/")
    folder = name.split("/", 1)[0]
    try:
        root = default_storage.path("")
    except NotImplementedError:  # media on S3: nothing here
        raise Http404 from None
    if folder in PUBLIC_FOLDERS:
        public = True
    elif folder in IMAGE_FOLDERS:
        image = _image_for(name)
        if image is None:
            raise Http404
        public = is_public(image)
        if not public and not may_choose(request.user, image):
            raise Http404
    else:
        raise Http404
    response = serve(request, name, document_root=root)
    if public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
