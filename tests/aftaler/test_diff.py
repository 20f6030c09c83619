from aftaler.diff import sammenlign


def test_changed_words_are_marked_inserted_and_deleted_with_words_for_screen_readers():
    r = sammenlign("<p>Borgeren skal have en god overgang.</p>", "<p>Borgeren skal have en sikker overgang.</p>")
    assert '<del><span class="sr-only">slettet: </span>god</del>' in r.html
    assert '<ins><span class="sr-only">tilføjet: </span>sikker</ins>' in r.html
    assert (r.tilfoejet, r.slettet) == (1, 1)


def test_blocks_stay_separate_paragraphs_and_markup_is_balanced():
    r = sammenlign("<h2>Formål</h2><p>Et.</p><p>To.</p>", "<h2>Formål</h2><p>Et.</p>")
    assert r.html == '<p>Formål</p><p>Et.</p><p><del><span class="sr-only">slettet: </span>To.</del></p>'


def test_text_is_escaped():
    r = sammenlign("<p>a</p>", "<p>a &lt;b&gt;</p>")
    assert "&lt;b&gt;" in r.html and "<b>" not in r.html


def test_identical_texts_are_unchanged():
    assert sammenlign("<p>Samme</p>", "<p>Samme</p>").uaendret
