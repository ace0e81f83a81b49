module roleviewer/azdrender

go 1.19
