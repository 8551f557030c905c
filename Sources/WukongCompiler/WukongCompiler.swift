// WukongCompiler: placeholder until its first file lands.
