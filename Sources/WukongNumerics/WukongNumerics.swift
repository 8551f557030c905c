// WukongNumerics: placeholder until its first file lands.
