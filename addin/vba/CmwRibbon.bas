Attribute VB_Name = "CmwRibbon"
' cmw add-in: the one ribbon callback. Every button of the ribbon tab carries its action's tag; CmwAction hands
' that tag to the Python dispatcher (addin/dispatch.py) through xlwings' RunPython. A new button is a line in
' addin/actions.py and a rebuilt add-in (cmw addin build), never new VBA here.
' The Python side shows its answer itself, in a Unicode message box over Excel: this project's code page
' cannot hold Chinese text, so no user-facing words live in this module.
' Keep this file ASCII: the VBA project stores source in code page 1252.
Option Explicit

Public Sub CmwRibbonLoaded(ribbon As IRibbonUI)
    ' Runs once when Excel loads the add-in: give the worksheet functions their descriptions. The settings in
    ' cmw.conf are read by each Python process itself (storage/settings.py), not handed over here: at Excel's
    ' start no workbook may be active, and xlwings' GetConfig then fails (error 91).
    On Error Resume Next
    CmwDescribeUdfs
    ThisWorkbook.Saved = True
End Sub

Public Sub CmwAction(control As IRibbonControl)
    ' Every button: run the dispatcher with the button's tag (ASCII, from the generated ribbon XML).
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import addin.dispatch; addin.dispatch.run_from_excel('" & control.Tag & "')"
End Sub
