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
# Each command in Chinese, first in the reference (the English help follows); a command missing here fails
# InstallTests, so that the reference never lacks one.
CHINESE = {
    "db start": "启动嵌入式数据库（首次使用时创建）并升级数据库结构",
    "db stop": "停止嵌入式数据库",
    "db status": "显示数据库位置、是否运行、结构是否最新（不启动任何东西）",
    "db url": "显示连接地址（供 psql 等客户端使用）",
    "db migrate": "升级数据库结构（逐个迁移，各自一个事务）",
    "db reset": "清空全部记录并重建数据库结构（须加 --yes）",
    "db standby create": "为内置数据库建立热备库（流复制，独立的复制角色和密码）并启动",
    "db standby status": "主库上列出各备库，备库上显示自身：状态、是否同步、延迟（字节和秒）",
    "db standby drop": "在主库上删除备库：停止它、删除其复制槽，提交不再等待它（备库文件保留）",
    "db promote": "把备库提升为主库（仅在原主库确已失效时）",
    "region list": "列出行政区划（GB/T 2260）",
    "staff add": "新增工作人员账号（管理员）：角色为注册审批、医疗机构人事、分析或管理员",
    "staff disable": "停用工作人员账号",
    "staff password": "为工作人员设置数据库登录密码（只显示一次）",
    "staff list": "列出工作人员账号",
    "events list": "查看操作日志（管理员看全部，其他人看自己的）",
    "events head": "封存已提交的日志并显示日志链的末端（位置、时间、哈希），供外部留存（R-71）",
    "events verify": "重新计算日志链，指出第一条缺失或被改动的记录（R-71）",
    "institution add": "登记医疗机构（统一社会信用代码、区划、举办主体、类别、核定床位）",
    "institution show": "查看一个医疗机构",
    "institution list": "按区划和名称分页列出医疗机构（--name 按名称开头查找）",
    "institution close": "注销医疗机构（其备案随之终止，R-24）",
    "institution suspend": "暂停医疗机构执业",
    "institution reinstate": "恢复医疗机构执业",
    "physician add": "登记医师（身份证号、姓名、资格证书编码、级别、类别）",
    "physician show": "查看一名医师（编号、编号前 8 位或身份证号）",
    "physician list": "分页列出医师（--name 按姓名开头查找，--region 限定地区）",
    "physician retire": "登记医师退休",
    "calendar list": "查看工作日历：放假和调休上班的日期（R-05）",
    "calendar import": "从 CSV 或 Excel 工作簿载入放假和调休日期",
    "registration apply": "申请执业注册（主要执业机构、执业范围）",
    "registration approve": "批准执业注册（首次批准发给医师执业证书编码，R-14）",
    "registration reject": "不予批准执业注册（须说明理由）",
    "registration change": "变更注册：更换主要执业机构或执业范围（R-16）",
    "registration leave": "离岗备案：医师离开主要执业机构（R-17）",
    "registration cancel": "注销执业注册（R-19）",
    "registration show": "查看一个执业注册",
    "registration list": "列出执业注册；待审批的显示办理期限，--overdue 只看逾期的（R-15）",
    "filing add": "多机构备案：凭合同在其他机构执业（R-22）",
    "filing end": "终止备案",
    "filing list": "列出备案",
    "policy set": "设置本省政策参数（执业机构数上限 R-23、工作室年龄上限 R-42）",
    "policy list": "查看政策参数",
    "studio open": "开办医生工作室（R-40、R-41）",
    "studio close": "关闭医生工作室",
    "studio list": "列出医生工作室",
    "nurse add": "登记护士",
    "nurse show": "查看一名护士",
    "nurse list": "分页列出护士（--name 按姓名开头查找）",
    "nurse register": "申请护士执业注册（试点地区内可为区域注册，R-53）",
    "nurse approve": "批准护士执业注册（有效五年，R-50）",
    "nurse reject": "不予批准护士执业注册",
    "nurse renew": "延续护士执业注册（须在届满 30 日前，R-51）",
    "nurse file": "区域注册护士在试点地区内其他机构备案（R-53）",
    "pilot add": "设立护士区域注册试点地区及期间（R-52）",
    "pilot end": "结束试点（区域注册的备案随之终止，R-54）",
    "pilot list": "列出试点",
    "credit add": "登记信用记录：表扬、警告、行政处罚或黑名单（R-60）",
    "credit lift": "解除信用记录",
    "credit list": "列出信用记录",
    "inspect draw": "双随机抽查：按种子抽取机构和检查人员，可复现（R-62）",
    "maintain": "每日维护：合同到期终止备案、离岗满两年注销、预先计算全国报表（R-18、R-24）",
    "import file": "批量导入人事部门的 Excel 工作簿或 CSV：机构、医师、注册申请、合同、离岗",
    "import template": "生成导入样板：中文表头和一行示例（CSV 或 Excel）",
    "codes": "列出错误代码及处理办法",
    "exec": "批量执行命令（每行一个 JSON），供其他系统对接",
    "seed": "生成演示数据（仅管理员，数据库须为空）",
    "report multisite": "报表：多点执业备案，按备案机构举办主体、地区和类别",
    "report social-beds": "报表：社会办医疗机构床位占比，对照 25% 目标",
    "report processing": "报表：注册申请办理情况、审批用时、逾期清单",
    "report studios": "报表：医生工作室，按县；设有工作室的基层机构占比",
    "report nurse-pilot": "报表：护士区域注册试点，区域注册和多机构执业的护士",
    "report expiring": "报表：N 天内到期的合同、护士注册和离岗计时（默认 60 天）",
    "report credit": "报表：有效黑名单、各机构的行政处罚、需跟进的记录",
    "report roster": "报表：本机构执业人员名册（人事默认本机构），含 30 天内开始的合同",
    "lookup physician": "公众查询：按姓名（和地区）或执业证书编码查询医师执业信息",
    "lookup nurse": "公众查询：按姓名（和地区）查询护士的注册和执业地点",
    "lookup institution": "公众查询：按名称开头（和地区）或统一社会信用代码查询医疗机构",
    "serve": "启动网络服务：公众查询网页、JSON 接口、人事部门上传页面",
    "login": "登录 regctl 服务器（此后命令经服务器执行）",
    "logout": "退出 regctl 服务器的登录",
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
                roff(CHINESE.get(" ".join(path), "")), ".br", roff(node.get("abstract", ""))]
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
           "Generated from the binary's own help; every command also takes the global options.", "",
           "各类人员的日常操作见 [guide.md](guide.md)。", ""]
    current = None
    for path, node in commands(root, []):
        if path and path[0] != current:
            current = path[0]
            out += ["## " + current + " — " + GROUPS.get(current, ""), ""]
        out += ["### `regctl " + " ".join(path) + "`", "", CHINESE.get(" ".join(path), "（缺少中文说明）"), "",
                node.get("abstract", ""), ""]
        if usage(node.get("arguments", [])):
            out += ["    regctl " + " ".join(path) + " " + usage(node.get("arguments", [])), ""]
        for label, text in options(node.get("arguments", [])):
            out.append("- `" + label + "`: " + text.replace("\n", " "))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    tree = json.load(sys.stdin)
    sys.stdout.write(man(tree) if sys.argv[1:] == ["man"] else markdown(tree))
