Attribute VB_Name = "CmwRibbon"
' cmw add-in: the one ribbon callback. Every button of the ribbon tab carries its action's tag; CmwAction hands
' that tag to the Python dispatcher (addin/dispatch.py) through xlwings' RunPython. A new button is a line in
' addin/actions.py and a rebuilt add-in (cmw addin build), never new VBA here.
' The Python side shows its answer itself, in a Unicode message box over Excel: this project's code page
' cannot hold Chinese text, so no user-facing words live in this module.
' Keep this file ASCII: the VBA project stores source in code page 1252.
Option Explicit

#If VBA7 Then
    Private Declare PtrSafe Function SetEnvironmentVariableW Lib "kernel32" (ByVal lpName As LongPtr, ByVal lpValue As LongPtr) As Long
#Else
    Private Declare Function SetEnvironmentVariableW Lib "kernel32" (ByVal lpName As Long, ByVal lpValue As Long) As Long
#End If

' The add-in's settings that every Python started by Excel (RunPython and the UDF server) must see.
Private Const CMW_SETTINGS As String = "CMW_DATABASE_URL;CMW_USER;CMW_OUTPUT_DIR"

Public Sub CmwRibbonLoaded(ribbon As IRibbonUI)
    ' Runs once when Excel loads the add-in: copy the settings from cmw.conf into Excel's environment,
    ' which the Python processes it starts inherit, then give the worksheet functions their descriptions.
    Dim key As Variant
    Dim value As String
    On Error Resume Next
    #If Not Mac Then
    For Each key In Split(CMW_SETTINGS, ";")
        value = GetConfig(CStr(key), "")
        If value <> "" Then SetEnvironmentVariableW StrPtr(CStr(key)), StrPtr(value)
    Next key
    #End If
    CmwDescribeUdfs
    ThisWorkbook.Saved = True
End Sub

Public Sub CmwAction(control As IRibbonControl)
    ' Every button: run the dispatcher with the button's tag (ASCII, from the generated ribbon XML).
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import addin.dispatch; addin.dispatch.run_from_excel('" & control.Tag & "')"
End Sub
