"""The ribbon tab 客户经理工作法 as customUI XML (Office 2010+ schema), generated from the action registry.

Every button's onAction is the one VBA callback CALLBACK, and its tag is the action's tag: the callback passes
control.Tag to the Python dispatcher, so a new button never needs new VBA.
"""
from __future__ import annotations

import re
from typing import Iterable
from xml.etree import ElementTree as ET

from addin.buttons import BUTTONS, GROUPS, Button
from engine.policy import rule

NAMESPACE = "http://schemas.microsoft.com/office/2009/07/customui"
VBA_MODULE = "CmwRibbon"
CALLBACK = f"{VBA_MODULE}.CmwAction"
ON_LOAD = f"{VBA_MODULE}.CmwRibbonLoaded"
TAB_ID = "cmwTab"
TAB_LABEL = "客户经理工作法"
GROUP_IDS = {"客户信息": "cmwStores", "品牌与市场": "cmwBrands", "需求调查": "cmwSurvey", "经营分析": "cmwAnalysis",
             "任务大表": "cmwPlan", "计划与总结": "cmwReport", "审核": "cmwReview", "打印": "cmwPrint", "通用": "cmwCommon"}
TAG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")  # ASCII, no quotes or spaces: safe in VBA strings and shells
ID_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,1023}$")  # customUI ST_UniqueID: an NCName without '.' or '-'
MAX_TEXT = 1024  # customUI's limit for label, tag, screentip and supertip


def button_id(action: Button) -> str:
    """The button's id: unique in the document, derived from the tag."""
    return f"cmw_{action.tag}"


def supertip(action: Button) -> str:
    """The button's tip and who may use it, as the policy says (engine/policy.py: the rule of the button's act)."""
    return f"{action.tip}\n使用者：{rule(action.act).who()}。"


def _button(group: ET.Element, action: Button) -> None:
    ET.SubElement(group, f"{{{NAMESPACE}}}button", {
        "id": button_id(action), "label": action.label, "tag": action.tag, "onAction": CALLBACK,
        "imageMso": action.image, "size": "large", "screentip": action.label, "supertip": supertip(action),
    })


def customui_xml(actions: Iterable[Button] | None = None) -> bytes:
    """The customUI14 part: one tab, a group per function (in GROUPS order, empty ones left out), a button per action."""
    actions = list(BUTTONS.values() if actions is None else actions)
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}customUI", {"onLoad": ON_LOAD})
    tabs = ET.SubElement(ET.SubElement(root, f"{{{NAMESPACE}}}ribbon"), f"{{{NAMESPACE}}}tabs")
    tab = ET.SubElement(tabs, f"{{{NAMESPACE}}}tab", {"id": TAB_ID, "label": TAB_LABEL})
    for label in GROUPS:
        members = [a for a in actions if a.group == label]
        if not members:
            continue
        group = ET.SubElement(tab, f"{{{NAMESPACE}}}group", {"id": GROUP_IDS[label], "label": label})
        for action in members:
            _button(group, action)
    ET.indent(root)
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return (declaration + ET.tostring(root, encoding="unicode")).encode("utf-8")


def problems(xml: bytes) -> list[str]:
    """What breaks the customUI schema's basic rules in xml (empty when none): structure, ids, texts, callbacks."""
    root = ET.fromstring(xml)
    found: list[str] = []
    if root.tag != f"{{{NAMESPACE}}}customUI":
        found.append(f"root is {root.tag}, not customUI in {NAMESPACE}")
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    found += [f"bad id {i!r}" for i in ids if not ID_PATTERN.match(i)]
    expected = {"customUI": {"ribbon"}, "ribbon": {"tabs"}, "tabs": {"tab"}, "tab": {"group"}, "group": {"button"}}
    for element in root.iter():
        name = element.tag.split("}")[-1]
        found += [f"{c.tag.split('}')[-1]} inside {name}" for c in element
                  if c.tag.split("}")[-1] not in expected.get(name, set())]
        found += [f"{name} {element.get('id')}: {k} is empty or longer than {MAX_TEXT}" for k in
                  ("label", "tag", "screentip", "supertip") if k in element.attrib
                  and not 0 < len(element.get(k)) <= MAX_TEXT]
        if name == "button":
            if not TAG_PATTERN.match(element.get("tag", "")):
                found.append(f"button {element.get('id')}: tag {element.get('tag')!r} is not a safe ASCII tag")
            if element.get("onAction") != CALLBACK or element.get("size") not in ("normal", "large"):
                found.append(f"button {element.get('id')}: onAction/size not as generated")
    return found
