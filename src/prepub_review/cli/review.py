"""`prepub review`: a reviewer decides on every finding of one draft, concludes, and the session
is recorded in the audit trail; on 去标识化后公开 the redacted copy is written like `prepub redact`.

Exit codes: 0 review completed and recorded (and the copy written and verified);
1 quit before the end, or the copy could not be written (refused / verification failed);
2 usage, rules, config or read error (e.g. no reviewer name); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from prepub_review.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, cli, console
from prepub_review.cli.audit_options import allow_sqlite_on_share, audit_db_options

EXIT_INTERRUPTED = 130


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--reviewer", help="审查人姓名（默认取环境变量 PREPUB_REVIEWER，或配置文件中的 reviewer:）。")
@click.option("--approver", help="批准人姓名（可选，写入审查记录）。")
@click.option("--profile", "profile_name", default="assistance-recipients", show_default=True,
              help="去标识化方案（rules/profiles/ 下的文件名，如 web-general）。")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="去标识化副本的文件名（默认：原文件名.去标识化.扩展名）。")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖它。")
@audit_db_options
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path, dir_okay=False),
              help="从 YAML/JSON 文件读取逐项决定（非交互，格式见 README）。")
@click.option("--accept-all", is_flag=True, help="全部采纳方案建议的处理（非交互）。")
@click.option("--reveal", is_flag=True, help="显示原始值（默认脱敏显示）。")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              help="自定义规则目录：同名文件覆盖内置规则。")
@click.option("--approvals", "approvals_path", type=click.Path(path_type=Path, dir_okay=False),
              help="把每个「保留原文」决定记入网站仓库的审批文件（如 .prepub-approvals.json），供 prepub check 认可。")
@click.option("--site", "site_paths", multiple=True, type=click.Path(path_type=Path, exists=True),
              help="站点的其他文件或目录（只读）：显示本文件与它们之间的跨文件关联。")
def review(file: Path, reviewer: str | None, approver: str | None, profile_name: str, output: Path | None,
           force: bool, audit_db: str | None, decisions_path: Path | None, accept_all: bool, reveal: bool,
           rules_dir: Path | None, approvals_path: Path | None, site_paths: tuple[Path, ...]) -> None:
    """逐项审查一个文件的发现项，作出审查结论并写入保密审查记录；去标识化后公开时生成去标识化副本。"""
    from prepub_review import config
    from prepub_review.act.audit import (
        ValueKey,
        file_sha256,
        load_conclusions,
        load_title_marks,
        open_log,
        title_and_number,
    )
    from prepub_review.act.redact.profiles import load_profile
    from prepub_review.act.redact.redactor import Redactor
    from prepub_review.act.review import decisions_file
    from prepub_review.act.review.finish import ReviewContext
    from prepub_review.act.review.interactive import keep_reasons
    from prepub_review.act.review.session import Decision, Session, build_items
    from prepub_review.act.present import Presenter
    from prepub_review.act.review.screen import Screen
    from prepub_review.act.report_linkage import print_linked
    from prepub_review.linking import SiteLinkage, linked_for_document
    from prepub_review.pipeline import Checker
    from prepub_review.formats.walk import expand_paths

    if decisions_path and accept_all:
        raise click.UsageError("--decisions 与 --accept-all 只能选一个")
    settings = config.load_config()
    reviewer = (reviewer or "").strip() or config.default_reviewer(settings)
    if not reviewer:
        _error(f"须指明审查人：用 --reviewer 姓名，或设置环境变量 PREPUB_REVIEWER，"
               f"或在配置文件 {settings.path} 中写 reviewer: 姓名", EXIT_ERROR)
    interactive = not decisions_path and not accept_all
    if interactive and not (sys.stdin.isatty() and sys.stdout.isatty()):
        _error("交互审查须在终端中运行；在脚本中请用 --decisions 文件 或 --accept-all", EXIT_ERROR)
    decisions = decisions_file.load(decisions_path) if decisions_path else None

    log = open_log(audit_db, allow_share=allow_sqlite_on_share())       # fails now, not after the review
    value_key = ValueKey.load_or_create(config.audit_key_path(settings))
    checker = Checker(rules_dir=rules_dir)
    approvals = None
    if approvals_path is not None:   # fingerprints keyed by the site's salt, as `prepub check` computes them
        from prepub_review.site import approvals as site_approvals

        approvals = site_approvals.load_or_new(approvals_path)
        checker.policy.fingerprint_key = approvals.fingerprint_key
    profile = load_profile(checker.rules, profile_name)
    redactor = Redactor(checker, profile)
    conclusions = load_conclusions(checker.rules)
    reasons = keep_reasons(checker.rules)

    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    linkage = SiteLinkage(checker.rules, checker.policy).observe(checker) if site_paths else None     # sees the draft as it is read
    document, doc, cannot_redact = _open(redactor, file)      # the one read of the draft
    linked = linked_for_document(linkage, checker, file, expand_paths(site_paths).files) if linkage else []
    with document:
        plan, cannot_redact = _plan(redactor, document, doc, output, force, cannot_redact)
        presenter = Presenter(checker.policy, reveal=reveal)
        session = Session(build_items(presenter.places(doc.findings), redactor, plan))   # names in places masked
        title, number = title_and_number(doc.first_lines, marks=load_title_marks(checker.rules))
        context = ReviewContext(document=file, document_sha256=file_sha256(file), reviewer=reviewer,
                                approver=approver, started_utc=started, rules_digest=checker.rules.digest(),
                                profile_label=profile.label, title=title, doc_number=number)
        screen = Screen(console(sys.stdout), presenter)
        screen.say(f"审查文件：{file}    审查人：{reviewer}    方案：{profile.label}（{profile.name}）", "bold")
        screen.say(f"共 {len(session.items)} 项需要逐项审查" + (f"（另有 {_info_count(doc)} 项提示级信息不需决定）"
                                                         if _info_count(doc) else ""))
        print_linked(screen.console, linked, presenter)
        finisher = _Finisher(session, context, checker.policy, value_key, log, screen, conclusions, (document, doc))

        if interactive:
            concluded = _interactive(session, screen, reasons, conclusions, cannot_redact, finisher)
        elif accept_all:
            session.decide_all(Decision("redact", by="accept_all"))
            screen.summary(session)
            key = session.suggested_conclusion()
            concluded = key, session.suggested_reason(key)
        else:
            for warning in decisions_file.apply(decisions, session):
                click.echo(f"提示：{warning}", err=True)
            screen.summary(session)
            key = decisions_file.conclusion_key(decisions.conclusion, session, conclusions)
            concluded = key, decisions.reason or session.suggested_reason(key)
        conclusion_key, reason = concluded
        if conclusion_key == "publish_redacted" and cannot_redact:
            _error(f"不能去标识化后公开：{cannot_redact}。未生成文件，未写入审查记录", EXIT_FINDINGS)
        code = finisher.finish(conclusion_key, reason, redactor, output, force)
        if approvals is not None:
            from prepub_review.site.approval_records import record_keeps

            published = finisher.written or file
            screen.say(record_keeps(approvals, session, finisher.head, conclusion_key, published, reviewer,
                                    profile.label))
        sys.exit(code)


def _open(redactor, file: Path):
    """(document, its check, why no copy can be written or None): opened for editing once; a
    document the writer cannot open is still reviewed (read-only), but cannot be published redacted."""
    from prepub_review.errors import PrepubError
    from prepub_review.formats.document import open_document

    try:
        document, doc = redactor.open_checked(file)
        return document, doc, None
    except PrepubError as exc:
        if exc.code not in ("unsupported_format", "reader_unavailable", "pdf_text_unmapped"):
            _error(f"无法审查 {file}：{exc.message}", EXIT_ERROR)
        cannot_redact = exc.message
    document = open_document(file, redactor.checker.limits)
    doc = redactor.checker.check_document(document)
    if doc.error:
        _error(f"无法审查 {file}：{doc.error}", EXIT_ERROR)
    return document, doc, cannot_redact


def _info_count(doc) -> int:
    return sum(1 for f in doc.findings if f.severity.value == "info")


def _plan(redactor, document, doc, output: Path | None, force: bool, cannot_redact: str | None):
    """The Redactor's plan for the proposals (None if no copy can be written), and why not. The
    output path (None: the default name, which follows the proposals) is checked before the session."""
    from prepub_review.act.redact.redactor import check_output
    from prepub_review.errors import PrepubError

    if cannot_redact is not None:
        return None, cannot_redact
    refusal = getattr(document, "cannot_edit", lambda: None)()
    if refusal is not None:
        return None, refusal.message
    plan = redactor.plan(document, doc)
    try:
        check_output(document.path, redactor.output_path(document.path, output, plan.edits), force)
    except PrepubError as exc:
        _error(exc.message, EXIT_ERROR)
    return plan, None


def _interactive(session, screen, reasons, conclusions, cannot_redact, finisher) -> tuple[str, str]:
    from prepub_review.act.review.interactive import QuitReview, choose_conclusion, review_items
    from prepub_review.act.review.keys import TerminalKeys

    keys = TerminalKeys(echo=lambda text: screen.console.print(text, end="", markup=False))
    labels = {key: c.label for key, c in conclusions.items()}
    if session.items:
        screen.say("按 ? 查看按键说明。", "dim")
    try:
        while True:
            if not review_items(session, keys, screen, reasons):
                raise QuitReview
            screen.summary(session)
            choice = choose_conclusion(session, keys, screen, labels, cannot_redact)
            if choice is not None:
                return choice
            session.position = len(session.items) - 1
    except QuitReview:
        finisher.offer_partial(keys, interrupted=False)
        sys.exit(EXIT_FINDINGS)
    except KeyboardInterrupt:
        screen.say("\n已中断。")
        try:
            finisher.offer_partial(keys, interrupted=True)
        except KeyboardInterrupt:
            screen.say("\n未生成文件，未写入审查记录。")
        sys.exit(EXIT_INTERRUPTED)


class _Finisher:
    """Writes the copy (on 去标识化后公开) and the record; or the partial record on request."""

    def __init__(self, session, context, policy, value_key, log, screen, conclusions, edit):
        self.session, self.context, self.policy = session, context, policy
        self.value_key, self.log, self.screen, self.conclusions = value_key, log, screen, conclusions
        self.edit = edit      # (the open document, its check): what a redacted copy is written from
        self.head = None   # the audit record written by finish()
        self.written: Path | None = None   # the redacted copy finish() wrote

    def offer_partial(self, keys, interrupted: bool) -> None:
        from prepub_review.act.review.finish import review_record

        decided = len(self.session.decisions)
        if not decided:
            self.screen.say("未作任何决定：未生成文件，未写入审查记录。")
            return
        self.screen.say(f"已对 {decided} 项（共 {len(self.session.items)} 项）作出决定。"
                        "是否保存为未完成的审查记录？y 保存，其他键 不保存", "bold")
        if keys.key() != "y":
            self.screen.say("未生成文件，未写入审查记录。")
            return
        reason = f"审查{'被中断' if interrupted else '未完成即退出'}：已决定 {decided} 项，共 {len(self.session.items)} 项"
        head = self.log.append(review_record(self.session, self.context, self.policy, None, reason, self.value_key))
        self.screen.say(f"已保存未完成的审查记录：第 {head.seq} 号（{self.log.location}）。未生成文件。")

    def finish(self, conclusion_key: str, reason: str, redactor, output: Path | None, force: bool) -> int:
        from prepub_review.errors import RedactionRefused, VerificationFailed
        from prepub_review.act.review.finish import review_record

        conclusion = self.conclusions.get(conclusion_key)
        if conclusion is None:
            _error(f"rules/audit_conclusions.yaml 中没有结论「{conclusion_key}」", EXIT_ERROR)
        output_sha256 = None
        if conclusion_key == "publish_redacted":
            document, doc = self.edit
            try:
                result = redactor.write(document, doc, output, force=force, overrides=self.session.overrides())
            except (RedactionRefused, VerificationFailed) as exc:
                _error(f"{exc.message}。未写入审查记录", EXIT_FINDINGS)
            output_sha256, self.written = result.output_sha256, result.output
            self.screen.say(f"已写入并校验通过：{result.output}", "green")
            self.screen.say(f"SHA-256 原文件：{result.input_sha256}")
            self.screen.say(f"SHA-256 输出：  {result.output_sha256}")
        record = review_record(self.session, self.context, self.policy, conclusion, reason, self.value_key,
                               output_sha256)
        head = self.head = self.log.append(record)
        self.screen.say(f"审查结论：{conclusion.label}", "bold")
        self.screen.say(f"理由：{reason}")
        self.screen.say(f"依据：{conclusion.basis}")
        if record.publishes_personal_info:
            self.screen.say("注意：公开的文件仍含个人信息（含去标识化的信息），"
                            "须事前进行个人信息保护影响评估（个人信息保护法第五十五条）。", "yellow")
        self.screen.say(f"已写入审查记录：第 {head.seq} 号（{self.log.location}）")
        return EXIT_OK


def _error(message: str, code: int) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)
