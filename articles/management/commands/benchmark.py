import datetime
import shutil
import signal

from django.core.management.base import BaseCommand, CommandError

from articles import benchmark


def interrupt(signum, frame):
    # A `kill` cleans up like Ctrl-C does: servers stopped, files removed.
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = (
        "Serve the demo content with gunicorn and production settings on 127.0.0.1, "
        "and measure the article page (cached and uncached), the guide page and the "
        "search page with wrk against a static file of the article's size, the fastest "
        "a page can be. Prints a markdown table; exits with an error when a target of "
        "issue 8 is missed. Needs wrk (`make bench` installs it). Takes about "
        "5 targets x (rounds x duration + warm-up)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--duration",
            type=int,
            default=30,
            help="Seconds of load per target and round (default 30).",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=64,
            help="Open connections wrk keeps busy (default 64).",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="Rounds over all targets in turn; medians are reported (default 3).",
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=5,
            help="Seconds of load per target before measuring (default 5).",
        )
        parser.add_argument(
            "--wrk-threads",
            type=int,
            default=1,
            help=(
                "wrk's threads (default 1: one is plenty, and leaves the other "
                "cores to the server)."
            ),
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="gunicorn workers (default: as kyphoinfo/gunicorn.conf.py decides).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="Threads per worker (default: as kyphoinfo/gunicorn.conf.py decides).",
        )

    def handle(self, **options):
        for name in ("duration", "connections", "rounds", "warmup", "wrk_threads"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if not shutil.which("wrk"):
            raise CommandError(
                "wrk is not installed: `apt-get install wrk`, or run `make bench`."
            )
        run = benchmark.Benchmark(
            duration=options["duration"],
            connections=options["connections"],
            rounds=options["rounds"],
            warmup=min(options["warmup"], options["duration"]),
            wrk_threads=options["wrk_threads"],
            workers=options["workers"],
            threads=options["threads"],
            say=self.stdout.write,
        )
        previous = signal.signal(signal.SIGTERM, interrupt)
        try:
            run.set_up()
            summaries = run.measure()
        except (RuntimeError, OSError) as error:
            raise CommandError(error) from error
        except KeyboardInterrupt:
            raise CommandError("Interrupted.", returncode=130) from None
        finally:
            self.stdout.write("Stopping the servers, removing the temporary files…")
            run.close()
            signal.signal(signal.SIGTERM, previous)

        self.report(run, summaries, options["connections"])

    def report(self, run, summaries, connections):
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        self.stdout.write(f"\nBenchmark, {now}. {run.describe()}\n\n")
        self.stdout.write(benchmark.table(summaries))
        self.stdout.write(
            f"\nThe article page is {run.sizes['html']:,} bytes of HTML; served "
            f"compressed, {run.sizes['article']:,} bytes cached and "
            f"{run.sizes['article-uncached']:,} uncached. The static file holds the "
            f"same HTML ({run.sizes['static']:,} bytes compressed).\n"
        )
        missed = 0
        for passed, description in benchmark.verdicts(summaries, connections):
            if passed:
                self.stdout.write(self.style.SUCCESS(f"PASS  {description}"))
            else:
                missed += 1
                self.stdout.write(self.style.ERROR(f"FAIL  {description}"))
        if missed:
            raise CommandError(f"{missed} of the benchmark's targets missed.")
