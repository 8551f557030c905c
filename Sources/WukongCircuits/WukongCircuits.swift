// WukongCircuits: placeholder until its first file lands.
