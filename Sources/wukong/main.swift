print("wukong")
