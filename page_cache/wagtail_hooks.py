from wagtail import hooks

from .cache import declare_query_params


@hooks.register("before_serve_page")
def declare_page_query_params(page, request, serve_args, serve_kwargs):
    """Tell the page cache which GET parameters this page reads (its model's `cache_query_params`).

    A page model that does not say reads none, so any query string on it is left out of the key.
    """
    declare_query_params(request, getattr(page, "cache_query_params", ()))
