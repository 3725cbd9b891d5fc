"""Routes of the standalone server: the plugin's routes under the prefix Saleor gives them."""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from ..routes import dispatch
from .host import StandaloneHost


@csrf_exempt
def plugin_route(request, path: str = ""):
    return dispatch(request, path, StandaloneHost())


urlpatterns = [
    re_path(r"^plugins/global/saleor_qb_sync/(?P<path>.*)$", plugin_route),
]
