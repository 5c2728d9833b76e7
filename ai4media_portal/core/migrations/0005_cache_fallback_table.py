"""The table of the database cache that keeps rate limits and throttles counting while Redis is
down (``settings.CACHES["fallback"]``, ``core.cache.ResilientRedisCache``). The same table as
``manage.py createcachetable`` makes, created here so that every deployment has it."""

from django.db import migrations

TABLE = "core_cache_fallback"


class Migration(migrations.Migration):
    dependencies = [("core", "0004_topic_vocabulary")]

    operations = [
        migrations.RunSQL(
            sql=[
                f'CREATE TABLE "{TABLE}" ("cache_key" varchar(255) NOT NULL PRIMARY KEY, '
                '"value" text NOT NULL, "expires" timestamp with time zone NOT NULL)',
                f'CREATE INDEX "{TABLE}_expires" ON "{TABLE}" ("expires")',
            ],
            reverse_sql=[f'DROP TABLE "{TABLE}"'],
        )
    ]
