; Inno Setup 6 script: a per-user installer for the one-folder bundle (no administrator rights needed).
; Built by `python packaging/build.py --archive` on Windows, which passes:
;   /DAppVersion=<version from pyproject.toml>  /DSourceDir=<dist\llmplanner>  /DOutputDir=<dist>
; By hand: iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\llmplanner /DOutputDir=..\..\dist llmplanner.iss

#ifndef AppVersion
  #error Pass /DAppVersion=<version>
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\llmplanner"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; AppId identifies the app for upgrades and uninstalling: never change it.
AppId={{9F89A660-4156-4517-A440-B7EE079710EC}
AppName=llmplanner
AppVersion={#AppVersion}
AppVerName=llmplanner {#AppVersion}
AppPublisher=llmplanner maintainers
DefaultDirName={autopf}\llmplanner
DefaultGroupName=llmplanner
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#OutputDir}
OutputBaseFilename=llmplanner-{#AppVersion}-setup
SetupIconFile=..\icons\llmplanner.ico
UninstallDisplayIcon={app}\llmplanner.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesEnvironment=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add llmplanner-cli to PATH (the command line)"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\llmplanner"; Filename: "{app}\llmplanner.exe"
Name: "{autodesktop}\llmplanner"; Filename: "{app}\llmplanner.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
    Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\llmplanner.exe"; Description: "{cm:LaunchProgram,llmplanner}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;

// Uninstalling takes the folder out of the user's PATH again (if the installer put it there).
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Path, Dir: string;
  P: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path) then
    exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir), Uppercase(Path));
  if P > 0 then
  begin
    Delete(Path, P, Length(Dir) + 1);
    RegWriteExpandStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', Path);
  end;
end;
