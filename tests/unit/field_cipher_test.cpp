// Sealed fields (domain/field_cipher.h) and the database's field key file (app::load_field_key).
#include "domain/field_cipher.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/auth.h"
#include "app/bootstrap.h"
#include "app/personal_data.h"
#include "store/db.h"

using namespace huoyan;
using field_cipher::Key;

TEST(FieldCipher, SealedValuesOpenWithTheirKeyOnly) {
  Key key = Key::generate(), other = Key::generate();
  for (std::string plain : {std::string(), std::string("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"), std::string("510104199001011234"),
                            std::string("金凤镇"), std::string(1000, 'x')}) {
    std::string sealed = key.seal(plain);
    EXPECT_TRUE(field_cipher::is_sealed(sealed));
    EXPECT_EQ(sealed.find(plain.empty() ? "\x01" : plain), std::string::npos);
    EXPECT_EQ(key.open(sealed), plain);
    EXPECT_EQ(other.open(sealed), std::nullopt);
  }
  // A new IV each time: the same text seals differently, so equal values cannot be told apart in the database.
  EXPECT_NE(key.seal("13800000000"), key.seal("13800000000"));
}

TEST(FieldCipher, AlteredOrForeignValuesDoNotOpen) {
  Key key = Key::generate();
  std::string sealed = key.seal("JBSWY3DPEHPK3PXP");
  std::string flipped = sealed;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(key.open(flipped), std::nullopt);
  EXPECT_EQ(key.open(sealed.substr(0, sealed.size() - 8)), std::nullopt);  // truncated
  EXPECT_EQ(key.open("sm4:"), std::nullopt);
  EXPECT_EQ(key.open("sm4:!!!!"), std::nullopt);
  EXPECT_EQ(key.open("JBSWY3DPEHPK3PXP"), std::nullopt);  // stored in the clear
  EXPECT_FALSE(field_cipher::is_sealed("JBSWY3DPEHPK3PXP"));
}

// The lookup hash finds a value by exact match under its key only, and shows nothing of it.
TEST(FieldCipher, LookupHashIsKeyedAndDeterministic) {
  Key key = Key::generate();
  std::string h = key.lookup_hash("500107199001010018");
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key.lookup_hash("500107199001010018"), h);
  EXPECT_NE(key.lookup_hash("500107199001010026"), h);
  EXPECT_NE(Key::generate().lookup_hash("500107199001010018"), h);
  EXPECT_EQ(Key::from_hex(key.hex())->lookup_hash("500107199001010018"), h);
}

TEST(FieldCipher, KeyFileTextAndCheckValue) {
  Key key = Key::generate();
  ASSERT_EQ(key.hex().size(), 64u);
  auto again = Key::from_hex(" " + key.hex() + "\n");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->open(key.seal("abc")), "abc");
  EXPECT_EQ(again->check_value(), key.check_value());
  EXPECT_NE(Key::generate().check_value(), key.check_value());
  EXPECT_EQ(key.check_value().find(key.hex()), std::string::npos);
  EXPECT_FALSE(Key::from_hex(key.hex().substr(0, 62)));
  EXPECT_FALSE(Key::from_hex(std::string(64, 'g')));
  EXPECT_FALSE(Key::from_hex(""));
}

// A file database gets its key file beside it at the first start (owner-only), keeps the key's check value,
// and refuses to start with another key or without the file; a secret stored in the clear is sealed at start.
TEST(FieldKey, KeyFileIsCreatedCheckedAndRequired) {
  auto dir = std::filesystem::temp_directory_path() / ("huoyan-key-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string url = "sqlite:" + (dir / "t.db").string(), key_file = (dir / "t.db.key").string();
  {
    auto db = store::Db::open(url, 1);
    EXPECT_EQ(db->key_file(), key_file);
    app::bootstrap(*db, "金凤镇");
    struct stat st {};
    ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // A secret written in the clear (by a version before sealing) is sealed at the next start.
    db->write([](store::Conn& c) { c.exec("UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE username = 'admin'"); });
  }
  {
    auto db = store::Db::open(url, 1);
    app::bootstrap(*db, "金凤镇");
    auto stored = db->read([](store::Conn& c) { return c.text("SELECT totp_secret FROM users WHERE username = 'admin'"); });
    ASSERT_TRUE(stored);
    EXPECT_TRUE(field_cipher::is_sealed(*stored));
    EXPECT_EQ(db->field_key().open(*stored), "JBSWY3DPEHPK3PXP");
  }
  std::string other = (dir / "other.key").string();
  std::ofstream(other) << Key::generate().hex() << "\n";
  EXPECT_THROW(app::bootstrap(*store::Db::open(url, 1, other), "金凤镇"), std::runtime_error);
  EXPECT_THROW(app::bootstrap(*store::Db::open(url, 1, (dir / "none.key").string()), "金凤镇"), std::runtime_error);
  std::ofstream(other) << "not a key\n";
  EXPECT_THROW(app::bootstrap(*store::Db::open(url, 1, other), "金凤镇"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

// Personal data stored in the clear by an earlier version (people, certificates, public reports, users' phones,
// contacts' phones) is sealed, with its lookup hashes, at the next start; what is sealed already stays as it is; a
// value altered in the database does not open.
TEST(FieldKey, PersonalDataStoredInTheClearIsSealedAtStart) {
  auto db = store::Db::open("sqlite::memory:", 1);
  app::bootstrap(*db, "金凤镇");
  const Key& key = db->field_key();
  db->write([&](store::Conn& c) {
    c.exec("INSERT INTO people (id, name, citizen_id, phone, created_at, updated_at) VALUES "
           "(1, '甲', '500107199001010018', '13900001111', 'x', 'x'), (2, '乙', '50010719900101002X', '', 'x', 'x')");
    c.exec("INSERT INTO certificates (person_id, kind, number, first_issued, valid_until, created_at, updated_at) "
           "VALUES (1, 'special_op_fusion', 'T500107199001010018', '2024-01-01', '2030-01-01', 'x', 'x')");
    c.exec("INSERT INTO public_reports (tracking_code, venue_name, category, description, photos, phone, ip, state, verify_by, "
           "created_at, updated_at) VALUES ('ABCDEFGH', '某市场', 'other', '说明', '[]', '13900002222', '127.0.0.1', 'received', 'x', 'x', 'x')");
    c.exec("UPDATE users SET phone = '13800000000', phone_hash = NULL WHERE username = 'admin'");
    c.exec("INSERT INTO venues (id, name, type, address, org_unit_id, principal_name, principal_phone, fire_manager_name, "
           "fire_manager_phone, qr_token, created_by, created_at, updated_at) SELECT 1, '某市场', 'market', '某路', id, '丙', "
           "'13900003333', '丁', '', 'q', 1, 'x', 'x' FROM org_units LIMIT 1");
    c.exec("INSERT INTO units (name, credit_code, kind, contact_name, contact_phone, address, created_by, created_at, updated_at) "
           "VALUES ('某单位', '91500000MA5U000000', 'contractor', '戊', '13900004444', '', 1, 'x', 'x')");
    // The database of an earlier version: its contacts' phones were never sealed.
    c.exec("DELETE FROM settings WHERE key = 'contact_phones_sealed'");
  });
  app::personal::seal_stored_in_clear(*db);
  auto person = db->read([](store::Conn& c) { return *c.row("SELECT citizen_id, citizen_id_hash, phone, phone_hash FROM people WHERE id = 1"); });
  EXPECT_EQ(key.open(person["citizen_id"].get<std::string>()), "500107199001010018");
  EXPECT_EQ(person["citizen_id_hash"], key.lookup_hash("500107199001010018"));
  EXPECT_EQ(key.open(person["phone"].get<std::string>()), "13900001111");
  EXPECT_EQ(person["phone_hash"], key.lookup_hash("13900001111"));
  auto no_phone = db->read([](store::Conn& c) { return *c.row("SELECT citizen_id_hash, phone, phone_hash FROM people WHERE id = 2"); });
  EXPECT_EQ(no_phone["citizen_id_hash"], key.lookup_hash("50010719900101002X"));
  EXPECT_EQ(no_phone["phone"], "");
  EXPECT_TRUE(no_phone["phone_hash"].is_null());
  auto cert = db->read([](store::Conn& c) { return *c.row("SELECT number, number_hash FROM certificates"); });
  EXPECT_EQ(key.open(cert["number"].get<std::string>()), "T500107199001010018");
  EXPECT_EQ(cert["number_hash"], key.lookup_hash("T500107199001010018"));
  auto report = db->read([](store::Conn& c) { return *c.text("SELECT phone FROM public_reports"); });
  EXPECT_EQ(key.open(report), "13900002222");
  auto admin = db->read([](store::Conn& c) { return *c.row("SELECT phone, phone_hash FROM users WHERE username = 'admin'"); });
  EXPECT_EQ(key.open(admin["phone"].get<std::string>()), "13800000000");
  EXPECT_EQ(admin["phone_hash"], key.lookup_hash("13800000000"));
  auto venue = db->read([](store::Conn& c) { return *c.row("SELECT principal_phone, fire_manager_phone FROM venues"); });
  EXPECT_EQ(key.open(venue["principal_phone"].get<std::string>()), "13900003333");
  EXPECT_EQ(venue["fire_manager_phone"], "");
  auto unit = db->read([](store::Conn& c) { return *c.text("SELECT contact_phone FROM units"); });
  EXPECT_EQ(key.open(unit), "13900004444");

  app::personal::seal_stored_in_clear(*db);
  EXPECT_EQ(db->read([](store::Conn& c) { return *c.text("SELECT citizen_id FROM people WHERE id = 1"); }), person["citizen_id"]);
  EXPECT_EQ(db->read([](store::Conn& c) { return *c.text("SELECT phone FROM public_reports"); }), report);
  EXPECT_EQ(db->read([](store::Conn& c) { return *c.text("SELECT contact_phone FROM units"); }), unit);
  EXPECT_EQ(db->read([](store::Conn& c) { return *c.text("SELECT value FROM settings WHERE key = 'contact_phones_sealed'"); }), "1");

  EXPECT_EQ(app::personal::open(*db, ""), "");
  std::string altered = person["citizen_id"].get<std::string>();
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_THROW(app::personal::open(*db, altered), std::runtime_error);
}

TEST(FieldKey, DefaultPlaces) {
  EXPECT_EQ(store::key_file_for("sqlite:data/huoyan.db", ""), "data/huoyan.db.key");
  EXPECT_EQ(store::key_file_for("sqlite::memory:", ""), "");
  EXPECT_EQ(store::key_file_for("postgresql://huoyan@127.0.0.1/huoyan", ""), "data/huoyan.key");
  EXPECT_EQ(store::key_file_for("sqlite:x.db", "/etc/huoyan/huoyan.key"), "/etc/huoyan/huoyan.key");
  auto db = store::Db::open("sqlite::memory:", 1);
  EXPECT_THROW(db->field_key(), std::logic_error);
  app::bootstrap(*db, "金凤镇");
  EXPECT_EQ(db->field_key().open(db->field_key().seal("x")), "x");
}
