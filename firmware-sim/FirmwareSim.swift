// FirmwareSim: placeholder.
