// WukongDevice: placeholder until its first file lands.
