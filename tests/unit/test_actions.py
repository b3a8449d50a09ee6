"""The ribbon's one registry: every button has a handler and every handler a button, tags are safe, the generated
customUI XML matches the registry, and the one VBA callback is the one the XML names. No database, no files."""
from __future__ import annotations

from engine.document_types import document_types

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import addin.handlers
from addin.buttons import BUTTONS, CLI_ONLY, GROUPS, OURS, Button
from addin.cli import build_parser
from addin.dispatch import Reply, _ribbon_words, module_title
from addin.ribbon import CALLBACK, NAMESPACE, ON_LOAD, TAG_PATTERN, VBA_MODULE, button_id, customui_xml, problems
from workbooks.registry import LAYOUTS

VBA = Path(importlib.import_module("addin").__file__).with_name("vba") / f"{VBA_MODULE}.bas"
KNOWN_MODULES = set(LAYOUTS) | {"district", "review", "bigtable"} | set(document_types())  # a declared kind's too


def _resolve(ref: str):
    module, name = ref.split(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _handlers() -> set[str]:
    """Every public function defined in addin/handlers/*.py."""
    found = set()
    for info in pkgutil.iter_modules(addin.handlers.__path__):
        module = importlib.import_module(f"addin.handlers.{info.name}")
        found |= {f"{module.__name__}:{name}" for name, f in vars(module).items()
                  if inspect.isfunction(f) and f.__module__ == module.__name__ and not name.startswith("_")}
    return found


def test_tags_are_ascii_and_safe_on_a_command_line():
    for tag, action in BUTTONS.items():
        assert tag == action.tag and TAG_PATTERN.match(tag), tag
        assert re.fullmatch(r"[\u4e00-\u9fff/“”（）]+", action.label), action.label
        assert action.group in GROUPS and action.roles and action.tip


def test_every_button_has_a_handler_and_every_handler_a_button():
    on_buttons = {ref for action in BUTTONS.values() for ref in action.handlers}
    for action in BUTTONS.values():
        assert action.handlers, f"{action.tag} runs no handler"
        assert all(callable(_resolve(ref)) for ref in action.handlers)
    handlers = _handlers()
    assert handlers - on_buttons - set(CLI_ONLY) == set(), "handlers with no button (add one, or a CLI_ONLY line)"
    assert set(CLI_ONLY) <= handlers and not set(CLI_ONLY) & on_buttons


def test_each_action_names_the_command_that_runs_the_same_handler():
    parser = build_parser()
    for action in BUTTONS.values():
        for command in action.cli.split(" / "):
            words = command.split()
            assert words[0] == "cmw", action.tag
            node = parser
            for word in words[1:]:
                if word in BUTTONS or word.startswith("-"):
                    break
                sub = next(a for a in node._actions if a.__class__.__name__ == "_SubParsersAction")
                assert word in sub.choices, f"{action.tag}: `{command}` is not a command"
                node = sub.choices[word]


def test_modules_are_ones_a_workbook_can_carry():
    for action in BUTTONS.values():
        if action.modules not in (None, OURS):
            assert set(action.modules) <= KNOWN_MODULES, action.tag
            assert all(module_title(m) != m for m in action.modules)
    assert Button.applies_to(BUTTONS["submit"], None) is False and BUTTONS["submit"].applies_to("stores")
    assert BUTTONS["store_print"].applies_to("stores") and not BUTTONS["store_print"].applies_to("capability")


def test_the_ribbon_xml_is_the_registry():
    xml = customui_xml()
    assert problems(xml) == []
    root = ET.fromstring(xml)
    assert root.tag == f"{{{NAMESPACE}}}customUI" and root.get("onLoad") == ON_LOAD
    [tab] = root.iter(f"{{{NAMESPACE}}}tab")
    assert tab.get("label") == "客户经理工作法"
    groups = [g.get("label") for g in tab]
    assert groups == [g for g in GROUPS if any(a.group == g for a in BUTTONS.values())]
    buttons = {b.get("tag"): (b, g.get("label")) for g in tab for b in g}
    assert set(buttons) == set(BUTTONS)
    for tag, (button, group) in buttons.items():
        action = BUTTONS[tag]
        assert button.get("id") == button_id(action) and button.get("label") == action.label and group == action.group
        assert button.get("onAction") == CALLBACK


def test_schema_basics_catch_what_excel_would_reject():
    bad = customui_xml().replace(b'tag="submit"', b'tag="sub mit"').replace(b'id="cmw_refresh"', b'id="cmw_print_book"')
    found = problems(bad)
    assert any("sub mit" in p for p in found) and any("duplicate id cmw_print_book" in p for p in found)
    assert problems(customui_xml().replace(b"<ribbon>", b"<ribbon><menu/>")) != []


def test_the_vba_callback_is_the_one_the_xml_names():
    source = VBA.read_bytes()
    assert source.isascii(), "the VBA project's code page (1252) cannot hold other characters"
    text = source.decode("ascii")
    module, callback = CALLBACK.split(".")
    assert f'Attribute VB_Name = "{module}"' in text
    assert f"Public Sub {callback}(control As IRibbonControl)" in text
    assert f"Public Sub {ON_LOAD.split('.')[1]}(ribbon As IRibbonUI)" in text
    assert "RunPython \"import addin.dispatch; addin.dispatch.run_from_excel('\" & control.Tag & \"')\"" in text
    assert len(re.findall(r"^Public Sub ", text, re.M)) == 2, "one callback for every button (and the ribbon's onLoad)"


def test_a_click_in_protected_view_asks_to_enable_editing_first():
    """Protected View: ActiveWorkbook is Nothing there, so the old callback acted on a new blank workbook (issue 17,
    item 7); the notice is ChrW codes, ASCII in the module, read back here."""
    text = VBA.read_bytes().decode("ascii")
    action = text[text.index("Public Sub CmwAction"):]
    assert action.index("ActiveProtectedViewWindow Is Nothing") < action.index("Workbooks.Add") < action.index("RunPython")
    notice = text[text.index("Private Function ProtectedViewText"):]
    said = "".join(chr(int(n)) for n in re.findall(r"ChrW\((\d+)\)", notice))
    assert said == "客户经理工作法：当前工作簿在受保护的视图中。请先点黄色提示条上的“启用编辑”，再点按钮。"


def test_command_line_advice_becomes_the_button():
    said = _ribbon_words(["改完保存后运行：cmw submit a.xlsx --as cm001", "请先运行：cmw analysis effect --as cm1 --month 2026-11。"])
    assert said == ("改完保存后点“提交”", "请先点“计算经营效果”。")


def test_a_long_answer_fits_a_message_box():
    reply = Reply(False, tuple(f"第{i}条" for i in range(40)))
    lines = reply.text().splitlines()
    assert len(lines) == 25 and lines[-1] == "……另有 16 条，见“提示”工作表。"


@pytest.mark.parametrize("module", [None, "stores", "capability"])
def test_module_titles_are_chinese(module):
    assert re.search(r"[\u4e00-\u9fff]", module_title(module))


def test_each_button_says_who_may_use_it_as_the_policy_does():
    from engine.policy import rule

    root = ET.fromstring(customui_xml())
    tips = {e.get("tag"): e.get("supertip") for e in root.iter(f"{{{NAMESPACE}}}button")}
    for tag, action in BUTTONS.items():
        assert tips[tag] == f"{action.tip}\n使用者：{rule(action.act).who()}。", tag
    assert tips["stores_export"].endswith("使用者：客户经理本人。")
    assert tips["pack_bigtable"].endswith("使用者：管辖其单位的市场经理、管理员。")
