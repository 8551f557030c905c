// WukongRuntime: placeholder until its first file lands.
