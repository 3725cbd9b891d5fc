"""Standalone settings for the e2e: the Dashboard's tokens (JWT-shaped, as app-bridge decodes
them) accepted by the development authenticator. Only used by ``e2e/run.mjs``."""

import os

from saleor_qb_sync.standalone.settings import *  # noqa: F403

SALEOR_QB_SYNC_DEV_TOKENS = {
    token: {"email": "staff@example.com", "user_id": "1", "permissions": ["MANAGE_ORDERS"],
            "channels": None}
    for token in os.environ["E2E_TOKENS"].split(",")
}
