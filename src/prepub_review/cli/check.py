"""`prepub check`: read → detect → decide → report, for files and directories."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prepub_review.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cli, console
from prepub_review.cli.audit_options import allow_sqlite_on_share, audit_db_options


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "sarif", "html"]), default="text",
              show_default=True, help="输出格式：text 供人阅读；json 供程序处理；sarif 供 CI 平台；html 一页报告。")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="把报告写入文件（原子写入；默认输出到 stdout）。")
@click.option("--reveal", is_flag=True, help="显示原始值（默认脱敏显示，如 330483********1234）。")
@click.option("--fail-on", type=click.Choice(["block", "review"]), default="block", show_default=True,
              help="哪一级结论使退出码为 1。")
@click.option("--show-info", is_flag=True, help="同时列出提示级信息（公职人员履职信息、机关联系电话等）。")
@click.option("--quiet", "-q", is_flag=True, help="只列出有问题的文件。")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              help="自定义规则目录：同名文件覆盖内置规则。")
@click.option("--max-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="单个文件大小上限（MB），超过则报错而不审查。")
@click.option("--no-progress", is_flag=True, help="不显示进度条。")
@click.option("--no-linkage", is_flag=True, help="不做跨文件关联比对（互补打码、可关联记录、打码方式）。")
@click.option("--audit", is_flag=True, help="为每个文件追加一条审查记录（见 prepub audit）。")
@audit_db_options
@click.option("--approvals", "approvals_path", type=click.Path(path_type=Path, dir_okay=False),
              help="审批文件（默认：被审查文件所在 git 仓库根目录的 .prepub-approvals.json，有则自动读取）。")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="并行审查的进程数（默认：全部 CPU 核）。输出与 --jobs 1 完全相同。")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path, file_okay=False),
              help="缓存目录：字节、规则和 prepub 版本都未变的文件不再重读（缓存只存脱敏值）。")
@click.option("--changed-since", metavar="REF",
              help="只审查自 git 引用 REF 以来改动的文件，以及链接了改动附件的网页。")
@click.option("--files-from", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="从文件读取要审查的路径（UTF-8，每行一个；空行和 # 开头的行忽略），可与 PATHS 同用。")
@click.option("--dask-scheduler", metavar="ADDRESS",
              help="把文件交给已有的 Dask 集群审查（如 tcp://10.0.0.5:8786；文件须在各节点相同路径的共享存储上）。")
def check(paths: tuple[Path, ...], output_format: str, output: Path | None, reveal: bool, fail_on: str,
          show_info: bool, quiet: bool, rules_dir: Path | None, max_size: int, no_progress: bool,
          no_linkage: bool, audit: bool, audit_db: str | None, approvals_path: Path | None, jobs: int | None,
          cache_dir: Path | None, changed_since: str | None, files_from: Path | None,
          dask_scheduler: str | None) -> None:
    """审查文件或目录（递归），报告不得公开的个人信息和密级标志；网页连同其链接的附件一起审查。"""
    from prepub_review.site import gate
    from prepub_review.site.output import report_stream

    keep_results = audit or audit_db is not None
    listed = read_file_list(files_from)
    if not paths and not listed:
        raise click.UsageError("请给出要审查的文件或目录（PATHS 或 --files-from）")
    run = gate_setup(paths, rules_dir, max_size, approvals_path, cache_dir, changed_since,
                     raw=reveal or keep_results, jobs=jobs, linkage=not no_linkage, listed=listed)
    run.dask_scheduler = dask_scheduler
    presenter = run.presenter(reveal)
    results = []
    with report_stream(output, machine=output_format != "text") as stream, run.pool() as pool:   # workers fork before any thread starts
        reporter = make_reporter(output_format, stream, presenter, show_info, quiet)
        builder = gate.SummaryBuilder(run.plan)
        with ProgressBar(len(run.plan.files), enabled=not no_progress) as advance:
            for site_doc in run.documents(pool, advance):
                if run.settings.raw:      # kept raw for the audit's keyed hashes: names in locations shown masked
                    site_doc.doc.findings = presenter.places(site_doc.doc.findings)
                builder.add(site_doc)
                reporter.document(site_doc)
                if keep_results:
                    results.append(site_doc.doc)
        summary = builder.finish(run.matcher)
        summary.linkage = run.link()
        reporter.finish(summary)
    if keep_results:
        append_audit_records(results, run.checker(), audit_db)
    sys.exit(exit_code(gate.exit_verdicts(summary, run.policy), fail_on))


class GateRun:
    """Everything one check run needs: policy, approvals, cache, plan, settings. The checker (the
    detection engine, slow to import and build) is built only when a file is not in the cache."""

    def __init__(self, rules, policy, rules_dir, limits, approvals, matcher, cache, plan, settings, linkage):
        self.rules, self.policy, self.rules_dir, self.limits = rules, policy, rules_dir, limits
        self.approvals, self.matcher = approvals, matcher
        self.cache, self.plan, self.settings = cache, plan, settings
        self.linkage = linkage        # cross-document linkage (linking.SiteLinkage), or None
        self.link_indexes: list = []  # (path, index JSON) of each document, as the workers or the cache return it
        self.dask_scheduler: str | None = None
        self._checker = None

    def checker(self):
        if self._checker is None:
            from prepub_review.pipeline import Checker

            # the rules and policy this run loaded (the policy keyed by the approvals file's salt)
            self._checker = Checker(rules_dir=self.rules_dir, limits=self.limits, rules=self.rules, policy=self.policy)
            if self.linkage is not None:
                self.linkage.observe(self._checker)  # before the workers fork: they inherit it
        return self._checker

    def cluster_job(self):
        from prepub_review.cluster import ClusterJob

        return ClusterJob(str(self.rules_dir.resolve()) if self.rules_dir else None,
                          self.limits.max_file_bytes // (1 << 20), self.policy.fingerprint_key, self.settings.raw,
                          str(self.cache.directory.resolve()) if self.cache else None,
                          dict(self.cache.context) if self.cache else None,
                          self.linkage.key if self.linkage else None)

    def link(self):
        """The cross-document linkage of every document of the run (None without linkage)."""
        if self.linkage is None:
            return None
        from prepub_review.decide.linkage_index import link_json
        from prepub_review.gc_pause import collector_paused

        # Linking allocates tens of thousands of small objects at the end of the run and makes no
        # cycles: the cycle collector is paused meanwhile (its passes over those objects, and a full
        # collection walking every object of the run, would find nothing), and the run's objects are
        # kept out of any collection a caller's own code sets off.
        with collector_paused(freeze=True):
            return self.linkage.link(link_json(self.link_indexes))

    def presenter(self, reveal: bool):
        from prepub_review.act.present import Presenter
        from prepub_review.site.runner import PremaskedPresenter

        return (Presenter if self.settings.raw else PremaskedPresenter)(self.policy, reveal=reveal)

    def pool(self):
        from prepub_review.act.present import Presenter
        from prepub_review.site import runner

        if self.dask_scheduler:
            from prepub_review.cluster import ClusterPool

            return ClusterPool(self.dask_scheduler, self.cluster_job(), self.plan.files)
        masking = Presenter(self.policy, reveal=False)
        return runner.Pool(self.checker, masking, self.settings, self.plan.files)

    def documents(self, pool, advance=lambda: None):
        """Annotated documents in the planned order (then the paths the walk could not open)."""
        from prepub_review.gc_pause import collector_paused
        from prepub_review.site import gate

        for warning in self.plan.warnings:
            click.echo(f"提示：{warning}", err=True)
        # This process's share of each document (taking it from a worker, annotating, reporting) makes
        # no cycles (a run over the 494-file benchmark corpus left none to collect): the collector
        # stays paused meanwhile, where it cost ~0.2 s of the parent's ~1.4 s CPU.
        with collector_paused():
            for doc, warnings in pool.results():
                for warning in warnings:
                    click.echo(f"提示：{warning}", err=True)
                advance()
                index = doc.observed.pop("linkage", None)
                if index is not None:
                    self.link_indexes.append((doc.path, index))
                yield gate.annotate(doc, self.plan, self.matcher, self.policy)
        for problem in self.plan.problems:
            yield gate.annotate(problem, self.plan, self.matcher, self.policy)


def gate_setup(paths, rules_dir, max_size, approvals_path, cache_dir, changed_since, raw: bool,
               jobs: int | None, linkage: bool = True, listed=()) -> GateRun:
    """The run over `paths` named by the user (a file named so is read whatever its extension) and
    `listed` ones (--files-from, taken by extension like a folder's files)."""
    import hashlib
    import hmac

    from prepub_review import ocr
    from prepub_review.decide.policy import Policy
    from prepub_review.formats.base import Limits, MiB
    from prepub_review.rules_loader import RulesSource
    from prepub_review.site import approvals as approvals_module
    from prepub_review.site import gate, runner
    from prepub_review.site.cache import Cache

    every_path = tuple(paths) + tuple(listed)
    rules = RulesSource(rules_dir)
    policy = Policy.load(rules)
    if approvals_path is not None and not approvals_path.exists():
        raise click.UsageError(f"找不到审批文件：{approvals_path}")
    found = approvals_path or approvals_module.default_path(every_path)
    approvals = approvals_module.load(found) if found is not None and found.exists() else None
    if approvals is not None:
        policy.fingerprint_key = approvals.fingerprint_key
    matcher = approvals_module.Matcher(approvals, root=repo_root(every_path, approvals))
    cache = None
    if cache_dir is not None:
        key_id = hmac.new(policy.fingerprint_key, b"prepub-cache", hashlib.sha256).hexdigest()
        from prepub_review.decide.linkage_index import INDEX_VERSION

        # A cache made under another link index version is cleared: its hashes would never match.
        cache = Cache(cache_dir, {"rules": rules.digest(), "key": key_id, "max_size": max_size,
                                  "linkage": INDEX_VERSION if linkage else False})
        warning = cache.open()
        if warning:
            click.echo(f"提示：{warning}", err=True)
    site_linkage = None
    if linkage:
        from prepub_review.linking import SiteLinkage

        # Cached indexes hold keyed hashes: the key must outlive the run, so it lives in the cache.
        site_linkage = SiteLinkage(rules, policy, key=cache.secret("linkage") if cache else None,
                                   keep_indexes=False)
    planned = gate.plan(paths, cache, changed_since, listed)
    settings = runner.RunSettings(jobs=jobs or runner.default_jobs(), cache=cache, raw=raw)
    limits = Limits(max_file_bytes=max_size * MiB)
    ocr.configure(cache_dir=cache_dir, threads=max(1, runner.default_jobs() // settings.jobs))
    return GateRun(rules, policy, rules_dir, limits, approvals, matcher, cache, planned, settings, site_linkage)


def read_file_list(path: Path | None) -> tuple[Path, ...]:
    """--files-from: one path per line; blank lines and # comments are skipped."""
    if path is None:
        return ()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"无法读取文件列表 {path}（{exc}）；列表应为 UTF-8 文本，每行一个路径") from exc
    return tuple(Path(line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def repo_root(paths, approvals) -> Path:
    from prepub_review.site.approvals import git_root

    if approvals is not None:
        return approvals.root
    return git_root(Path(paths[0])) or Path.cwd()


def make_reporter(output_format: str, stream, presenter, show_info: bool, quiet: bool):
    if output_format == "json":
        from prepub_review.act.report_json_stream import JsonReporter

        return JsonReporter(stream, presenter)
    if output_format == "sarif":
        from prepub_review.act.report_sarif import SarifReporter

        return SarifReporter(stream, presenter)
    if output_format == "html":
        from prepub_review.act.report_html import HtmlReporter

        return HtmlReporter(stream, presenter)
    from prepub_review.act.report_site_text import TextReporter

    return TextReporter(console(stream), presenter, show_info, quiet)


def append_audit_records(results, checker, audit_db: str | None) -> None:
    """One `check` record per document; the record numbers go to stderr (stdout may be JSON)."""
    from prepub_review.act.audit import check_record, load_title_marks, open_for_writing

    log, value_key = open_for_writing(audit_db, allow_sqlite_on_share())
    digest, marks = checker.rules.digest(), load_title_marks(checker.rules)
    seqs = []
    for doc in results:
        lines = doc.first_lines if doc.error is None else []     # read with the check, not again
        seqs.append(log.append(check_record(doc, checker.policy, digest, value_key, lines, marks)).seq)
    if seqs:
        numbers = "、".join(map(str, seqs)) if len(seqs) <= 10 else f"{seqs[0]} … {seqs[-1]}"
        click.echo(f"已写入 {len(seqs)} 条审查记录（第 {numbers} 号，{log.location}）", err=True)


def exit_code(verdicts, fail_on: str) -> int:
    verdicts = {v.value for v in verdicts}
    if "error" in verdicts:
        return EXIT_ERROR
    if "block" in verdicts or (fail_on == "review" and "review" in verdicts):
        return EXIT_FINDINGS
    return EXIT_OK


class ProgressBar:
    """A progress bar on stderr when checking many files in a terminal; a no-op otherwise."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 1 and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return lambda: None
        from rich.progress import Progress

        self.bar = Progress(console=console(sys.stderr), transient=True)
        self.bar.start()
        task = self.bar.add_task("审查中", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


