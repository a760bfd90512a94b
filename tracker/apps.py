from django.apps import AppConfig


class TrackerConfig(AppConfig):
    """The site's infrastructure: no models, only what must be connected at start-up."""

    name = "tracker"
    verbose_name = "Counterpoint site"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from tracker.cache import bump_after_migrate, watch_connection

        connection_created.connect(watch_connection, dispatch_uid="tracker.watch_connection")
        post_migrate.connect(bump_after_migrate, dispatch_uid="tracker.bump_after_migrate")
