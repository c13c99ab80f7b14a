"""Data cards: placeholder replaced below."""
def write_data_cards(folder):
    pass
