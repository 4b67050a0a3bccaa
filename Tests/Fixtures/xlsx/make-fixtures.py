#!/usr/bin/env python3
"""Writes the workbooks the tests read, with two writers that share no code with regctl:
openpyxl (PyPI) and LibreOffice Calc (Debian's libreoffice-calc, headless, from CSV).

    pip install openpyxl; apt-get install libreoffice-calc
    python3 Tests/Fixtures/xlsx/make-fixtures.py

The files are committed; this script says how they were made and makes them again.
"""
import csv, datetime, os, shutil, subprocess, tempfile
import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

here = os.path.dirname(os.path.abspath(__file__))

def resident_id(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]

LI = resident_id("11010519491231002")
ZHAO = resident_id("33010619800101001")   # stored as a number: refused with its hint
SUN = resident_id("33010619820202003")
QIAN = resident_id("33010619830303004")

# openpyxl: the list on the first sheet, notes on a second, the ID column as text but for one row whose ID
# was typed into a number cell; rich text in a remark; a blank row in the middle.
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "医师名单"
ws.append(["序号", "姓名", "公民身份号码", "医师资格证书编码", "医师级别", "执业类别", "备注"])
ws.append([1, "李娜", LI, "Q-1", "执业医师", "临床", "新进"])
ws.append([2, "赵敏", int(ZHAO), "Q-2", "执业医师", "中医", None])
ws.append([])
ws.append([3, "孙磊", SUN, "Q-3", "执业助理医师", "口腔",
           CellRichText([TextBlock(InlineFont(b=True), "注意："), "返聘"])])
for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
    for cell in row:
        if isinstance(cell.value, str):
            cell.number_format = "@"
notes = wb.create_sheet("说明")
notes.append(["本表由人事科填写"])
wb.save(os.path.join(here, "physicians-openpyxl.xlsx"))

# openpyxl: a holiday calendar with real date cells (datetime → a serial under a date format).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "2027"
ws.append(["日期", "类型"])
ws.append([datetime.datetime(2027, 2, 6), "放假"])
ws.append([datetime.date(2027, 2, 7), "放假"])
ws.append([datetime.date(2027, 2, 14), "上班"])
wb.save(os.path.join(here, "holidays-openpyxl.xlsx"))

# LibreOffice Calc: CSV read with the ID column as text and the date column as dates (Y/M/D), saved as
# Excel 2007-365 (shared strings, a styles part of its own, dates as serials).
def libreoffice(name, rows, formats):
    work = tempfile.mkdtemp()
    source = os.path.join(work, name + ".csv")
    with open(source, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    subprocess.run(
        ["soffice", "--headless", "-env:UserInstallation=file://" + work + "/profile",
         "--infilter=CSV:44,34,76,1," + formats,
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", work, source],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.copy(os.path.join(work, name + ".xlsx"), os.path.join(here, name + ".xlsx"))
    shutil.rmtree(work)

libreoffice("physicians-libreoffice", [
    ["序号", "身份证号码", "姓名", "医师资格证书编码", "医师级别", "执业类别"],
    ["1", QIAN, "钱芳", "Q-4", "执业医师", "公共卫生"],
    ["2", SUN, "孙磊", "Q-3", "执业助理医师", "口腔"],
], "1/1/2/2/3/1/4/2/5/2/6/2")
libreoffice("holidays-libreoffice", [
    ["日期", "类型"],
    ["2027-10-01", "放假"],
    ["2027-10-02", "放假"],
    ["2027-09-26", "上班"],
], "1/5/2/2")
print("wrote", sorted(f for f in os.listdir(here) if f.endswith(".xlsx")))
