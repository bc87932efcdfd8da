import Testing

@testable import Support

@Suite("JSON text")
struct JSONTextTests {
  @Test func objectsSortTheirKeysAndIndentOneSpacePerLevel() {
    let value = JSONText.object([
      "b": .array([.integer(1), .number("0.250"), .bool(true)]), "a": .object(["c": .null, "B": .string("x")]),
      "e": .array([]), "d": .object([:]),
    ])
    let expected = """
      {
       "a": {
        "B": "x",
        "c": null
       },
       "b": [
        1,
        0.250,
        true
       ],
       "d": {},
       "e": []
      }
      """
    #expect(value.serialized() == expected)
  }

  @Test func quotingEscapesWhatJSONRequiresAndLeavesTheRest() {
    #expect(JSONText.quoted("a\"b\\c\n\r\t/é") == "\"a\\\"b\\\\c\\n\\r\\t/é\"")
    #expect(JSONText.quoted("\u{01}\u{1F}") == "\"\\u0001\\u001f\"")
  }

  @Test func backspaceAndFormFeedHaveTwoSpellings() {
    #expect(JSONText.quoted("\u{08}\u{0C}") == "\"\\b\\f\"")
    #expect(JSONText.quoted("\u{08}\u{0C}", namedBackspaceAndFormFeed: false) == "\"\\u0008\\u000c\"")
  }
}
