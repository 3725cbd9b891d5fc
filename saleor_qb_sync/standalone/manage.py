"""``python -m saleor_qb_sync.standalone.manage <command>`` with the standalone settings.

It creates the standalone database first when it does not exist yet, so ``make serve`` works
on a fresh machine.
"""

import os
import sys


def ensure_database() -> None:
    """Create ``DATABASE_URL``'s database if PostgreSQL does not have it yet."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"],
                         password=db["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [db["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_qb_sync.standalone.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    ensure_database()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
