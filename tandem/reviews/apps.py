from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tandem.reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from tandem.activity.outbox import subscribe
        from tandem.reviews.baselines import baseline_cycle_starts, starts_a_cycle

        # A cycle's drift is measured from the baseline taken when it starts.
        subscribe("reviews.cycle_baseline", baseline_cycle_starts, about=starts_a_cycle)
