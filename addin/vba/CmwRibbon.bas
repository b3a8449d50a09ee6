Attribute VB_Name = "CmwRibbon"
' cmw add-in: the one ribbon callback. Every button of the ribbon tab carries its action's tag; CmwAction hands
' that tag to the Python dispatcher (addin/dispatch.py) through xlwings' RunPython. A new button is a line in
' addin/buttons.py and a rebuilt add-in (cmw addin build --release), never new VBA here.
' The Python side shows its answer itself, in a Unicode message box over Excel: this project's code page
' cannot hold Chinese text, so the one notice shown from here (Protected View) is written as ChrW codes.
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
    ' A workbook in Protected View is not in Workbooks: ActiveWorkbook is Nothing there, and a click must not act
    ' on a new blank workbook instead. Its text is ChrW codes (this module is ASCII): "please click Enable Editing".
    If Not Application.ActiveProtectedViewWindow Is Nothing Then
        MsgBox ProtectedViewText(), vbExclamation
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import addin.dispatch; addin.dispatch.run_from_excel('" & control.Tag & "')"
End Sub


Private Function ProtectedViewText() As String
    ' Generated with addin.build.vba_text (tests/unit/test_actions.py reads it back).
    Dim said As String
    said = said & ChrW(23458) & ChrW(25143) & ChrW(32463) & ChrW(29702) & ChrW(24037) & ChrW(20316) & ChrW(27861) & ChrW(65306)
    said = said & ChrW(24403) & ChrW(21069) & ChrW(24037) & ChrW(20316) & ChrW(31807) & ChrW(22312) & ChrW(21463) & ChrW(20445)
    said = said & ChrW(25252) & ChrW(30340) & ChrW(35270) & ChrW(22270) & ChrW(20013) & ChrW(12290) & ChrW(35831) & ChrW(20808)
    said = said & ChrW(28857) & ChrW(40644) & ChrW(33394) & ChrW(25552) & ChrW(31034) & ChrW(26465) & ChrW(19978) & ChrW(30340)
    said = said & ChrW(8220) & ChrW(21551) & ChrW(29992) & ChrW(32534) & ChrW(36753) & ChrW(8221) & ChrW(65292) & ChrW(20877)
    said = said & ChrW(28857) & ChrW(25353) & ChrW(38062) & ChrW(12290)
    ProtectedViewText = said
End Function
