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
@click.option("--audit-db", type=click.Path(path_type=Path, dir_okay=False),
              help="审查记录库路径（默认见 prepub audit --help）。")
@click.option("--decisions", "decisions_path", type=click.Path(path_type=Path, dir_okay=False),
              help="从 YAML/JSON 文件读取逐项决定（非交互，格式见 README）。")
@click.option("--accept-all", is_flag=True, help="全部采纳方案建议的处理（非交互）。")
@click.option("--reveal", is_flag=True, help="显示原始值（默认脱敏显示）。")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False),
              help="自定义规则目录：同名文件覆盖内置规则。")
@click.option("--approvals", "approvals_path", type=click.Path(path_type=Path, dir_okay=False),
              help="把每个「保留原文」决定记入网站仓库的审批文件（如 .prepub-approvals.json），供 prepub check 认可。")
def review(file: Path, reviewer: str | None, approver: str | None, profile_name: str, output: Path | None,
           force: bool, audit_db: Path | None, decisions_path: Path | None, accept_all: bool, reveal: bool,
           rules_dir: Path | None, approvals_path: Path | None) -> None:
    """逐项审查一个文件的发现项，作出审查结论并写入保密审查记录；去标识化后公开时生成去标识化副本。"""
    from prepub_review import config
    from prepub_review.act.audit import AuditLog, ValueKey, file_sha256, load_conclusions, title_and_number
    from prepub_review.act.audit.build import first_lines
    from prepub_review.act.present import Presenter
    from prepub_review.act.redact.profiles import load_profile
    from prepub_review.act.redact.redactor import Redactor, default_output
    from prepub_review.act.review import decisions_file
    from prepub_review.act.review.finish import ReviewContext
    from prepub_review.act.review.interactive import keep_reasons
    from prepub_review.act.review.screen import Screen
    from prepub_review.act.review.session import Decision, Session, build_items
    from prepub_review.pipeline import Checker

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

    log = AuditLog(config.audit_db_path(audit_db, settings))          # fails now, not after the review
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
    doc = checker.check_file(file)
    if doc.error:
        _error(f"无法审查 {file}：{doc.error}", EXIT_ERROR)
    target = output or default_output(file)
    preview, cannot_redact = _preview(redactor, file, target, force)
    session = Session(build_items(doc.findings, redactor, preview))
    title, number = title_and_number(first_lines(file, checker.limits))
    context = ReviewContext(document=file, document_sha256=file_sha256(file), reviewer=reviewer, approver=approver,
                            started_utc=started, rules_digest=checker.rules.digest(), profile_label=profile.label,
                            title=title, doc_number=number)
    presenter = Presenter(checker.policy, reveal=reveal)
    screen = Screen(console(sys.stdout), presenter)
    screen.say(f"审查文件：{file}    审查人：{reviewer}    方案：{profile.label}（{profile.name}）", "bold")
    screen.say(f"共 {len(session.items)} 项需要逐项审查" + (f"（另有 {_info_count(doc)} 项提示级信息不需决定）"
                                                     if _info_count(doc) else ""))
    finisher = _Finisher(session, context, checker.policy, value_key, log, screen, conclusions)

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
    code = finisher.finish(conclusion_key, reason, redactor, target, force)
    if approvals is not None:
        from prepub_review.site.approval_records import record_keeps

        published = target if conclusion_key == "publish_redacted" else file
        screen.say(record_keeps(approvals, session, finisher.head, conclusion_key, published, reviewer,
                                profile.label))
    sys.exit(code)


def _info_count(doc) -> int:
    return sum(1 for f in doc.findings if f.severity.value == "info")


def _preview(redactor, file: Path, target: Path, force: bool):
    """The redactor's dry run (for the proposals) and, if no copy can be written, why not."""
    from prepub_review.act.redact.redactor import check_output
    from prepub_review.errors import RedactionRefused
    from prepub_review.errors import PrepubError

    try:
        preview = redactor.redact(file, target, dry_run=True)
    except RedactionRefused:
        return None, None        # a marking: the reviewer decides on it; refused again at writing if confirmed
    except PrepubError as exc:   # e.g. a format the redactor cannot write
        return None, exc.message
    try:
        check_output(file, target, force)
    except PrepubError as exc:
        _error(exc.message, EXIT_ERROR)
    return preview, None


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

    def __init__(self, session, context, policy, value_key, log, screen, conclusions):
        self.session, self.context, self.policy = session, context, policy
        self.value_key, self.log, self.screen, self.conclusions = value_key, log, screen, conclusions
        self.head = None   # the audit record written by finish()

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
        self.screen.say(f"已保存未完成的审查记录：第 {head.seq} 号（{self.log.path}）。未生成文件。")

    def finish(self, conclusion_key: str, reason: str, redactor, target: Path, force: bool) -> int:
        from prepub_review.errors import RedactionRefused, VerificationFailed
        from prepub_review.act.review.finish import review_record

        conclusion = self.conclusions.get(conclusion_key)
        if conclusion is None:
            _error(f"rules/audit_conclusions.yaml 中没有结论「{conclusion_key}」", EXIT_ERROR)
        output_sha256 = None
        if conclusion_key == "publish_redacted":
            try:
                result = redactor.redact(self.context.document, target, force=force,
                                         overrides=self.session.overrides())
            except (RedactionRefused, VerificationFailed) as exc:
                _error(f"{exc.message}。未写入审查记录", EXIT_FINDINGS)
            output_sha256 = result.output_sha256
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
        self.screen.say(f"已写入审查记录：第 {head.seq} 号（{self.log.path}）")
        return EXIT_OK


def _error(message: str, code: int) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)
