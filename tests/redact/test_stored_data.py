"""Data a Word or Excel file stores for programs, not for pages: document variables (an office system's
拟稿人 and phone), building blocks (自动图文集), custom XML (a form's or content system's record). Each
is read; redaction edits the variables in place and removes the other two."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import docx
import openpyxl

from tests import synth
from tests.conftest import run_prepub

RNG = random.Random(20261208)
FAKE = synth.faker(20261208)
NAME, ID, PHONE = FAKE.name(), synth.cn_id(RNG), synth.mobile(RNG)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GLOSSARY_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/glossaryDocument"
GLOSSARY_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"


def rewritten(path: Path, change) -> Path:
    """`path` with each member passed through change(name, bytes) -> bytes; change may add members
    by returning them for the name "" (a dict of name -> bytes)."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info.filename) for info in source.infolist()}
    members = {name: change(name, data) for name, data in members.items()} | change("", b"")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def report_with_stored_data(path: Path) -> Path:
    report = docx.Document()
    report.add_paragraph("关于城乡低保对象调整的请示")
    report.save(path)
    record = f"<record><申请人>{NAME}</申请人><身份证号>{ID}</身份证号></record>".encode()

    def change(name: str, data: bytes):
        if name == "":
            return {"word/glossary/document.xml": (
                        f'<w:glossaryDocument xmlns:w="{W}"><w:docParts><w:docPart><w:docPartBody><w:p><w:r>'
                        f"<w:t>户主{NAME}，身份证号 {ID}</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>"
                        "</w:glossaryDocument>").encode(),
                    "customXml/item7.xml": record}
        if name == "word/settings.xml":
            return data.replace(b"</w:settings>", (f'<w:docVars><w:docVar w:name="ngr" w:val="拟稿人 {NAME} '
                                                    f'电话 {PHONE}"/></w:docVars></w:settings>').encode())
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdGloss" Type="{GLOSSARY_REL}" '
                                                      f'Target="glossary/document.xml"/></Relationships>'.encode())
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", f'<Override PartName="/word/glossary/document.xml" '
                                              f'ContentType="{GLOSSARY_TYPE}"/></Types>'.encode())
        return data

    return rewritten(path, change)


def found(path: Path) -> set[tuple[str, str]]:
    document = run_prepub("check", str(path), "--format", "json").json()["documents"][0]
    return {(f["location"], f["entity"]) for f in document["findings"] if f["severity"] == "block"}


def stored(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(name).decode("utf-8", "replace") for name in package.namelist())


def test_word_stored_data_is_read(tmp_path):
    assert found(report_with_stored_data(tmp_path / "请示.docx")) >= {
        ("文档变量「ngr」", "PHONE_NUMBER"), ("自动图文集（未显示）", "CN_ID_CARD"),
        ("自定义 XML 数据「item7」", "CN_ID_CARD")}


def test_word_stored_data_is_redacted(tmp_path):
    out = tmp_path / "out.docx"
    run = run_prepub("redact", str(report_with_stored_data(tmp_path / "请示.docx")), "-o", str(out))
    assert run.code == 0, run.stdout + run.stderr
    assert "删除自动图文集" in run.stdout and "删除自定义 XML 数据" in run.stdout
    text = stored(out)
    assert PHONE not in text and ID not in text and NAME not in text
    assert f'w:name="ngr" w:val="拟稿人 {NAME[0]}*' in text                 # the variable stays, edited
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
    assert not any(name.startswith("customXml/item") for name in names) and "word/glossary/document.xml" not in names
    assert "glossary" not in types
    assert docx.Document(str(out)).paragraphs[0].text == "关于城乡低保对象调整的请示"


def test_workbook_custom_xml(tmp_path):
    path = tmp_path / "台账.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "汇总"
    workbook.save(path)
    rewritten(path, lambda name, data: {"customXml/item1.xml": f"<r><sfzh>{ID}</sfzh></r>".encode()}
              if name == "" else data)
    assert ("自定义 XML 数据「item1」", "CN_ID_CARD") in found(path)
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert ID not in stored(out)


def test_drop_down_list_choices(tmp_path):
    """A template's drop-down list of households: every choice shows when the cell is clicked."""
    from openpyxl.worksheet.datavalidation import DataValidation

    names = [FAKE.name() for _ in range(3)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "申请表"
    sheet["A1"] = "户主"
    choices = DataValidation(type="list", formula1='"' + ",".join(names) + '"')
    sheet.add_data_validation(choices)
    choices.add("A2:A20")
    path = tmp_path / "模板.xlsx"
    workbook.save(path)
    document = run_prepub("check", str(path), "--format", "json").json()["documents"][0]
    assert [f["location"] for f in document["findings"]] == ["工作表「申请表」 下拉列表1（A2:A20）"] * 3
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    kept = openpyxl.load_workbook(out)["申请表"].data_validations.dataValidation[0].formula1.strip('"').split(",")
    assert len(kept) == 3 and all("*" in choice and choice[0] == name[0] for choice, name in zip(kept, names))
    assert not any(name in ",".join(kept) for name in names)


def test_cells_cached_from_another_workbook(tmp_path):
    """A summary that looked up the register (VLOOKUP into another file) keeps the cells it read."""
    path = tmp_path / "汇总.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "汇总"
    workbook.save(path)
    cache = ('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><externalBook '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"><sheetNames>'
             '<sheetName val="名单"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="2">'
             f'<cell r="B2" t="str"><v>{ID}</v></cell><cell r="C2" t="n"><v>{PHONE}</v></cell></row></sheetData>'
             "</sheetDataSet></externalBook></externalLink>")
    rewritten(path, lambda name, data: {"xl/externalLinks/externalLink1.xml": cache.encode()} if name == "" else data)
    assert found(path) == {("外部链接缓存1「名单」 B2", "CN_ID_CARD"), ("外部链接缓存1「名单」 C2", "PHONE_NUMBER")}
    out = tmp_path / "out.xlsx"
    assert run_prepub("redact", str(path), "-o", str(out)).code == 0
    assert ID not in stored(out) and PHONE not in stored(out) and f"{PHONE[:3]}****{PHONE[-4:]}" in stored(out)


PEOPLE_REL = "http://schemas.microsoft.com/office/2011/relationships/people"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def test_the_list_of_people_who_commented_is_read_and_removed(tmp_path):
    """word/people.xml names everyone who commented or revised, with the account they signed in
    with; Word keeps it after their comments are deleted."""
    source = tmp_path / "请示.docx"
    report = docx.Document()
    report.add_paragraph("关于城乡低保对象调整的请示")
    report.save(source)

    def change(name: str, data: bytes):
        if name == "":
            return {"word/people.xml": (f'<w15:people xmlns:w15="{W15}"><w15:person w15:author="户主{NAME}">'
                                        f'<w15:presenceInfo w15:providerId="Windows Live" w15:userId="{PHONE}"/>'
                                        "</w15:person></w15:people>").encode()}
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", f'<Relationship Id="rIdPeople" Type="{PEOPLE_REL}" '
                                                      f'Target="people.xml"/></Relationships>'.encode())
        return data

    rewritten(source, change)
    found = run_prepub("check", str(source), "--format", "json", "--reveal").json()["documents"][0]["findings"]
    assert {(f["entity"], f["text"]) for f in found} >= {("PERSON", NAME), ("PHONE_NUMBER", PHONE)}
    out = tmp_path / "发布.docx"
    run = run_prepub("redact", str(source), "-o", str(out))
    assert run.code == 0 and "删除批注与修订人员列表" in run.stdout
    with zipfile.ZipFile(out) as package:
        stored = b"".join(package.read(name) for name in package.namelist())
    assert NAME.encode() not in stored and PHONE.encode() not in stored
