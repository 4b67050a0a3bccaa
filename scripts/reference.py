#!/usr/bin/env python3
"""The command reference, from the binary's own description of its commands (`regctl --experimental-dump-help`):
`man` writes the man page (roff, UTF-8: its Chinese survives, unlike the argument parser's own plugin, which drops
every character outside ASCII); `markdown` writes docs/commands.md.

    regctl --experimental-dump-help | python3 scripts/reference.py man > regctl.1
    regctl --experimental-dump-help | python3 scripts/reference.py markdown > docs/commands.md
"""
import json, sys

GROUPS = {
    "db": "数据库（嵌入式集群与迁移）", "region": "行政区划", "staff": "工作人员账号", "events": "操作日志",
    "institution": "医疗机构", "physician": "医师", "calendar": "工作日历（节假日与调休）",
    "registration": "医师执业注册（区域注册）", "filing": "多机构备案（多点执业）", "policy": "政策参数",
    "studio": "医生工作室", "nurse": "护士执业注册", "pilot": "护士区域注册试点", "credit": "信用记录与黑名单",
    "inspect": "双随机抽查", "maintain": "每日维护", "import": "批量导入（CSV、Excel）", "codes": "错误代码",
    "exec": "批量命令（JSON 行）", "seed": "演示数据", "report": "报表", "lookup": "公众查询",
}
GLOBAL = {"database", "as", "format", "lang", "output", "encoding", "version", "help"}


def commands(node, path):
    """Every command that runs (a leaf), with its path."""
    if not node.get("shouldDisplay", True) or node["commandName"] == "help":
        return
    subs = node.get("subcommands") or []
    if not subs:
        yield path, node
    for s in subs:
        yield from commands(s, path + [s["commandName"]])


def name_of(a):
    return (a.get("preferredName") or {}).get("name") or a.get("valueName", "")


def usage(args):
    parts = []
    for a in args:
        name = name_of(a)
        if name in GLOBAL or not a.get("shouldDisplay", True):
            continue
        if a["kind"] == "positional":
            text = "<" + a.get("valueName", name) + ">"
        elif a["kind"] == "flag":
            text = "--" + name
        else:
            text = "--" + name + " <" + a.get("valueName", name) + ">"
        parts.append(text if not a.get("isOptional") else "[" + text + "]")
    return " ".join(parts)


def options(args):
    for a in args:
        name = name_of(a)
        if name in GLOBAL or not a.get("shouldDisplay", True):
            continue
        label = ("<" + a.get("valueName", name) + ">") if a["kind"] == "positional" else "--" + name
        if a["kind"] == "option":
            label += " <" + a.get("valueName", name) + ">"
        values = a.get("allValues") or []
        extra = (" (" + ", ".join(values) + ")") if values and len(values) <= 20 else ""
        yield label, a.get("abstract", "") + extra


def roff(text):
    text = text.replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def man(tree):
    root = tree["command"]
    out = ["'\\\" t", '.\\" -*- coding: UTF-8 -*-', '.TH REGCTL 1 "" "regctl" "医师区域注册与多点执业管理"',
           ".SH 名称 NAME", "regctl \\- 医师区域注册、多点执业、医生工作室、护士区域注册试点与信用记录的管理工具",
           ".SH 概要 SYNOPSIS", ".B regctl", "[全局选项] <命令> [<子命令>] [选项]",
           ".SH 说明 DESCRIPTION", roff(root.get("abstract", "")), ".PP", roff(root.get("discussion", "")),
           ".SH 全局选项 GLOBAL OPTIONS"]
    for a in root.get("arguments", []) + next(iter(
            n["arguments"] for _, n in commands(root, []) if any(name_of(x) == "lang"
                                                                  for x in n.get("arguments", []))), []):
        name = name_of(a)
        if name in GLOBAL and name not in ("help", "version") and ".B --" + name not in out:
            out += [".TP", ".B --" + name, roff(a.get("abstract", ""))]
    out.append(".SH 命令 COMMANDS")
    current = None
    for path, node in commands(root, []):
        if path and path[0] != current:
            current = path[0]
            out += [".SS " + roff(current + "  " + GROUPS.get(current, ""))]
        out += [".TP", ".B regctl " + " ".join(path) + " " + roff(usage(node.get("arguments", []))),
                roff(node.get("abstract", ""))]
        for label, text in options(node.get("arguments", [])):
            out += [".RS", ".TP", ".I " + roff(label), roff(text), ".RE"]
    out += [".SH 文档 SEE ALSO", "docs/commands.md, docs/rules.md, docs/imports.md, docs/reports.md, docs/errors.md"]
    return "\n".join(out) + "\n"


def markdown(tree):
    root = tree["command"]
    out = ["# 命令参考（Command reference）", "",
           "由 `regctl --experimental-dump-help` 生成（`python3 scripts/reference.py markdown`），与程序本身一致；",
           "`regctl 命令 --help` 显示同样的内容。每个命令都接受全局选项：`--database`、`--as`、`--format"
           " table|json|csv|html|xlsx`、`--lang zh|en`、`--output 文件`、`--encoding`（见 README）。",
           "规则见 [rules.md](rules.md)，错误代码见 [errors.md](errors.md)，导入文件的列见 [imports.md](imports.md)，"
           "报表见 [reports.md](reports.md)。", "",
           "Generated from the binary's own help; every command also takes the global options.", ""]
    current = None
    for path, node in commands(root, []):
        if path and path[0] != current:
            current = path[0]
            out += ["## " + current + " — " + GROUPS.get(current, ""), ""]
        out += ["### `regctl " + " ".join(path) + "`", "", node.get("abstract", ""), ""]
        if usage(node.get("arguments", [])):
            out += ["    regctl " + " ".join(path) + " " + usage(node.get("arguments", [])), ""]
        for label, text in options(node.get("arguments", [])):
            out.append("- `" + label + "`: " + text.replace("\n", " "))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    tree = json.load(sys.stdin)
    sys.stdout.write(man(tree) if sys.argv[1:] == ["man"] else markdown(tree))
