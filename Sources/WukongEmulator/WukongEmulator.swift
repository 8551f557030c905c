// WukongEmulator: placeholder until its first file lands.
