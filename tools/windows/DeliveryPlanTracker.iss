; Inno Setup 6 script: an installer for the one-folder app that `python -m tools.build` writes on
; Windows (dist\DeliveryPlanTracker). Not yet built or run: see README, Install, for what was tested.
;
;   .venv\Scripts\python -m tools.build
;   iscc /DAppVersion=0.1.0 tools\windows\DeliveryPlanTracker.iss
;
; writes dist\DeliveryPlanTracker-0.1.0-setup.exe. It installs for the current user without
; administrator rights, or for all users (the wizard asks; `/ALLUSERS` on the command line). For a
; silent deployment: `DeliveryPlanTracker-0.1.0-setup.exe /VERYSILENT /ALLUSERS /SUPPRESSMSGBOXES`.
;
; Signing: sign dist\DeliveryPlanTracker\*.exe with signtool before running iscc, then give iscc a
; sign tool named "signtool" so that it signs the setup and uninstaller too, e.g.
;   iscc "/Ssigntool=signtool sign /fd SHA256 /tr YOUR_CA_TIMESTAMP_URL /td SHA256 /a $f" /DSign ...
;
; Uninstalling removes the program folder only: each user's plan, backups, logs and settings stay in
; their own folders (%LOCALAPPDATA%\DeliveryPlanTracker and the registry), as an upgrade needs.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Delivery Plan Tracker"
#define AppExe "delivery-plan-tracker.exe"
#define Dist "..\..\dist"

[Setup]
; The AppId identifies the app to Windows across versions: never change it.
AppId={{DE04B0D9-DC59-4C16-A7E2-CD6E7D0F79B8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Delivery Plan Tracker contributors
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Dist}
OutputBaseFilename=DeliveryPlanTracker-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running copy first, so that no file is in use while it is replaced.
CloseApplications=yes
#ifdef Sign
SignTool=signtool
SignedUninstaller=yes
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole folder, replaced on upgrade (delete the old _internal first, so no stale module lingers).
Source: "{#Dist}\DeliveryPlanTracker\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
