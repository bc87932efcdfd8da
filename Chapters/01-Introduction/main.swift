print("chapter 1")
