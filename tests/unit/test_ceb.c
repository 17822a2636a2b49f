/* test_ceb.c — customs CBEC XML messages: records, fields, bad messages. */
#include "check_main.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dts.h"
#include "dts/ceb.h"

static void cat(char **s, size_t *len, const char *t)
{
	size_t n = strlen(t);

	*s = realloc(*s, *len + n + 1);
	ck_assert_ptr_nonnull(*s);
	memcpy(*s + *len, t, n + 1);
	*len += n;
}

/*
 * One line per record: "LINE MSG/ENTITY #npairs field=value;..." or
 * "LINE!reason{raw}".
 */
static char *dump(const char *xml, size_t block)
{
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	dts_ceb *r;
	dts_ceb_record rec;
	char *s = NULL, tmp[1400];
	size_t len = 0, i;
	int rc;

	o.block_size = block;
	cat(&s, &len, "");
	ck_assert_int_eq(dts_ceb_open_buffer(&r, xml, strlen(xml), "t.xml", &o), 0);
	while ((rc = dts_ceb_next(&rec, r)) != 0) {
		if (rc == DTS_EINPUT) {
			ck_assert_uint_eq(dts_error_last()->line, rec.line);
			snprintf(tmp, sizeof(tmp), "%llu!%s{%s}\n",
				 (unsigned long long)rec.line, rec.error, rec.raw);
			cat(&s, &len, tmp);
			continue;
		}
		ck_assert_int_eq(rc, 1);
		snprintf(tmp, sizeof(tmp), "%llu %s/%s #%zu ", (unsigned long long)rec.line,
			 rec.message, rec.entity, rec.npairs);
		cat(&s, &len, tmp);
		for (i = 0; i < rec.nfields; i++) {
			snprintf(tmp, sizeof(tmp), "%s=%.*s;", dts_field_name(rec.fields[i].field),
				 (int)rec.fields[i].len, rec.fields[i].data);
			cat(&s, &len, tmp);
		}
		cat(&s, &len, "\n");
	}
	dts_ceb_free(r);
	return s;
}

/* Same dump whatever the read block. */
static void expect(const char *xml, const char *want)
{
	static const size_t blocks[] = { 1, 2, 3, 5, 7, 64, 0 };
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		char *got = dump(xml, blocks[i]);
		if (strcmp(got, want) != 0)
			ck_abort_msg("block %zu:\n%s\nwanted\n%s", blocks[i], got, want);
		free(got);
	}
}

#define NS "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\""
#define DNS "xmlns=\"http://www.chinaport.gov.cn/ceb\""

static const char inv621[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ceb:CEB621Message guid=\"g\" version=\"1.0\" " NS ">\n"
	"<ceb:Inventory>\n"
	"<ceb:InventoryHead>\n"
	"<ceb:orderNo>ORD1</ceb:orderNo><ceb:ebpCode>3301960ABC</ceb:ebpCode>\n"
	"<ceb:invtNo>29912025I0001</ceb:invtNo><ceb:ieFlag>I</ceb:ieFlag>\n"
	"<ceb:ieDate>20250314</ceb:ieDate><ceb:tradeMode>1210</ceb:tradeMode>\n"
	"<ceb:country>502</ceb:country><ceb:currency>142</ceb:currency>\n"
	"</ceb:InventoryHead>\n"
	"<ceb:InventoryList>\n"                                   /* line 10 */
	"<ceb:gnum>1</ceb:gnum><ceb:itemName>Milk powder</ceb:itemName>\n"
	"<ceb:gcode>1901101000</ceb:gcode><ceb:gname> 婴儿奶粉 </ceb:gname>\n"
	"<ceb:totalPrice>396.00</ceb:totalPrice>\n"
	"</ceb:InventoryList>\n"
	"<ceb:InventoryList>\n"                                   /* line 15 */
	"<ceb:gnum>2</ceb:gnum><ceb:itemName>Vitamins</ceb:itemName><ceb:gname/>\n"
	"<ceb:gcode>2106909090</ceb:gcode><ceb:currency>502</ceb:currency>\n"
	"<ceb:totalPrice><![CDATA[129.50]]></ceb:totalPrice>\n"
	"</ceb:InventoryList>\n"
	"</ceb:Inventory>\n"
	"<ceb:BaseTransfer><ceb:copCode>X</ceb:copCode></ceb:BaseTransfer>\n"
	"</ceb:CEB621Message>\n";

#define REC1 "source=cbec;flow=I;period=2025-03-14;trade_mode=1210;counterpart=502;" \
	     "currency=142;platform=3301960ABC;id=29912025I0001-1;hs_code=1901101000;" \
	     "description=婴儿奶粉;value=396.00;\n"
#define REC2 "source=cbec;flow=I;period=2025-03-14;trade_mode=1210;counterpart=502;" \
	     "currency=502;platform=3301960ABC;id=29912025I0001-2;hs_code=2106909090;" \
	     "description=Vitamins;value=129.50;\n"

START_TEST(inventory_621)
{
	expect(inv621, "10 CEB621/Inventory #13 " REC1 "15 CEB621/Inventory #14 " REC2);
}
END_TEST

START_TEST(pairs_and_get)
{
	dts_ceb *r;
	dts_ceb_record rec;
	size_t len;
	const char *v;

	ck_assert_int_eq(dts_ceb_open_buffer(&r, inv621, strlen(inv621), NULL, NULL), 0);
	ck_assert_int_eq(dts_ceb_next(&rec, r), 1);
	ck_assert_str_eq(rec.pairs[0].name, "orderNo");
	ck_assert_int_eq(rec.pairs[0].list, 0);
	ck_assert_str_eq(rec.pairs[8].name, "gnum");
	ck_assert_int_eq(rec.pairs[8].list, 1);
	ck_assert_ptr_null(dts_ceb_get(&rec, "copCode", -1, NULL));   /* BaseTransfer skipped */
	v = dts_ceb_get(&rec, "itemName", 1, &len);
	ck_assert_str_eq(v, "Milk powder");
	ck_assert_uint_eq(len, 11);
	ck_assert_ptr_null(dts_ceb_get(&rec, "itemName", 0, NULL));
	ck_assert_str_eq(dts_ceb_get(&rec, "orderNo", -1, NULL), "ORD1");
	ck_assert_uint_eq(rec.record, 1);
	ck_assert_int_eq(dts_ceb_next(&rec, r), 1);
	ck_assert_str_eq(dts_ceb_get(&rec, "currency", -1, NULL), "502");
	ck_assert_str_eq(dts_ceb_get(&rec, "currency", 0, NULL), "142");
	ck_assert_str_eq(dts_ceb_get(&rec, "gname", 1, NULL), "");
	ck_assert_int_eq(dts_ceb_next(&rec, r), 0);
	ck_assert_int_eq(dts_ceb_next(&rec, r), 0);
	dts_ceb_free(r);
	dts_ceb_free(NULL);
}
END_TEST

START_TEST(export_603_flow_and_dates)
{
	/* no ieFlag: E from the message type; 14-digit date cut to the day */
	expect("<?xml version=\"1.0\"?>\n<CEB603Message " DNS "><Inventory><InventoryHead>"
	       "<copNo>C9</copNo><ieDate>20250402101500</ieDate></InventoryHead>"
	       "<InventoryList><gnum>3</gnum><gcode>6912001000</gcode></InventoryList>"
	       "</Inventory></CEB603Message>\n",
	       "2 CEB603/Inventory #4 source=cbec;flow=E;period=2025-04-02;id=C9-3;"
	       "hs_code=6912001000;\n");
	/* a date that is not one passes through unchanged */
	expect("<CEB603Message " DNS "><Inventory><InventoryHead><ieFlag>E</ieFlag>"
	       "<ieDate>2025/04/02</ieDate></InventoryHead></Inventory></CEB603Message>",
	       "1 CEB603/Inventory #2 source=cbec;flow=E;period=2025/04/02;\n");
}
END_TEST

START_TEST(orders_payments)
{
	expect("<CEB311Message " DNS "><Order><OrderHead><orderNo>O1</orderNo><ebpCode>P</ebpCode>"
	       "<currency>142</currency></OrderHead>\n"
	       "<OrderList><gnum>1</gnum><itemName>书</itemName><totalPrice>10</totalPrice>"
	       "<country>116</country></OrderList></Order></CEB311Message>",
	       "2 CEB311/Order #7 source=cbec;platform=P;currency=142;id=O1-1;"
	       "description=书;value=10;counterpart=116;\n");
	expect("<CEB411Message " DNS "><Payment><PaymentHead><orderNo>O1</orderNo>"
	       "<amountPaid>10</amountPaid></PaymentHead></Payment>\n"
	       "<Payment><PaymentHead><orderNo>O2</orderNo></PaymentHead></Payment>"
	       "</CEB411Message>",
	       "1 CEB411/Payment #2 source=cbec;id=O1;\n"
	       "2 CEB411/Payment #1 source=cbec;id=O2;\n");
}
END_TEST

/* Three documents in one file: the broken one is rejected, the others read. */
START_TEST(bad_message_file_goes_on)
{
	expect("<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS "><Inventory><InventoryHead><invtNo>A</invtNo></InventoryHead>\n"
	       "<InventoryList><gnum>1</gnum></InventoryList></Inventory></CEB621Message>\n"
	       "<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS "><Inventory><InventoryHead><invtNo>B</invtNo>\n"
	       "<InventoryList><gnum>1</gnum></InventoryList></Inventory></CEB621Message>\n"
	       "<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS "><Inventory><InventoryHead><invtNo>C</invtNo></InventoryHead>\n"
	       "<InventoryList><gnum>1</gnum></InventoryList></Inventory></CEB621Message>\n",
	       "3 CEB621/Inventory #2 source=cbec;flow=I;id=A-1;\n"
	       "6!malformed XML: Opening and ending tag mismatch: InventoryHead line 2 and Inventory"
	       "{<InventoryList><gnum>1</gnum></InventoryList></Inventory></CEB621Message>}\n"
	       "9 CEB621/Inventory #2 source=cbec;flow=I;id=C-1;\n");
}
END_TEST

START_TEST(bad_messages)
{
	/* DTDs (and so external entities) are refused before parsing */
	expect("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
	       "<CEB621Message " DNS "><Inventory><InventoryHead><invtNo>&e;</invtNo>"
	       "</InventoryHead></Inventory></CEB621Message>\n",
	       "2!DTD not allowed{<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>}\n");
	expect("<?xml version=\"1.0\"?>\n<Order><x/></Order>\n",
	       "2!not a CEB message: root element <Order>, expected <CEBnnnMessage> in namespace "
	       "http://www.chinaport.gov.cn/ceb{<Order><x/></Order>}\n");
	expect("<CEB621Message " DNS "><Inventory><InventoryHead><a>&amp;&lt;</a>"
	       "</InventoryHead></Inventory></CEB621Message>",
	       "1 CEB621/Inventory #1 source=cbec;flow=I;\n");
	expect("<CEB621Message " DNS "><Inventory><InventoryHead><a>&nbsp;</a>"
	       "</InventoryHead></Inventory></CEB621Message>",
	       "1!malformed XML: Entity 'nbsp' not defined{<CEB621Message " DNS "><Inventory>"
	       "<InventoryHead><a>&nbsp;</a></InventoryHead></Inventory></CEB621Message>}\n");
	expect("<CEB621Message " DNS "><a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q><r>"
	       "</r></q></p></o></n></m></l></k></j></i></h></g></f></e></d></c></b></a>"
	       "</CEB621Message>",
	       "1!elements nested deeper than 16{<CEB621Message " DNS "><a><b><c><d><e><f><g><h><i><j>"
	       "<k><l><m><n><o><p><q><r></r></q></p></o></n></m></l></k></j></i></h></g></f>"
	       "</e></d></c></b></a></CEB621Message>}\n");
	expect("garbage", "1!malformed XML: Document is empty{garbage}\n");
	expect("", "");
	expect("\n\n  \n", "");
}
END_TEST


/* ---- message boundaries come from the parser (issue 11, defect 6) ------------ */

#define HEAD(no) "<Inventory><InventoryHead><invtNo>" no "</invtNo><ieFlag>I</ieFlag>" \
		 "</InventoryHead>"
#define ITEM(n, v) "<InventoryList><gnum>" n "</gnum><totalPrice>" v "</totalPrice>" \
		   "</InventoryList>"

/* "<?xml" inside a CDATA section, a comment or an xml-stylesheet PI is data. */
START_TEST(xml_decl_inside_data)
{
	expect("<?xml version=\"1.0\"?>\n"
	       "<?xml-stylesheet type=\"text/xsl\" href=\"s.xsl\"?>\n"
	       "<CEB621Message " DNS ">\n"
	       "<!-- exported by <?xml tool 1.0 -->\n"
	       HEAD("A") "\n"
	       ITEM("1", "10") "\n"
	       "<InventoryList><gnum>2</gnum><gname><![CDATA[<?xml version=\"1.0\"?>"
	       "<CEB621Message " DNS ">" HEAD("FAKE") ITEM("1", "99999999.00")
	       "</Inventory></CEB621Message>]]></gname><totalPrice>20</totalPrice></InventoryList>\n"
	       ITEM("3", "30") "</Inventory>\n"
	       "</CEB621Message>\n",
	       "6 CEB621/Inventory #4 source=cbec;flow=I;id=A-1;value=10;\n"
	       "7 CEB621/Inventory #5 source=cbec;flow=I;id=A-2;"
	       "description=<?xml version=\"1.0\"?><CEB621Message " DNS "><Inventory>"
	       "<InventoryHead><invtNo>FAKE</invtNo><ieFlag>I</ieFlag></InventoryHead>"
	       "<InventoryList><gnum>1</gnum><totalPrice>99999999.00</totalPrice>"
	       "</InventoryList></Inventory></CEB621Message>;value=20;\n"
	       "8 CEB621/Inventory #4 source=cbec;flow=I;id=A-3;value=30;\n");
}
END_TEST

/* Several documents one after another, with or without declarations, with
 * comments and blanks between them: the parser finds each end. */
START_TEST(concatenated_documents)
{
	expect("\n  <?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") "</Inventory></CEB621Message>\n"
	       "<!-- next: <?xml version=\"1.0\"?> -->\n<?pi x?>\n"
	       "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("B") ITEM("1", "2") "</Inventory></CEB621Message>"
	       "<CEB621Message " DNS ">" HEAD("C") ITEM("1", "3") "</Inventory></CEB621Message>"
	       "\n\n",
	       "3 CEB621/Inventory #4 source=cbec;flow=I;id=A-1;value=1;\n"
	       "7 CEB621/Inventory #4 source=cbec;flow=I;id=B-1;value=2;\n"
	       "7 CEB621/Inventory #4 source=cbec;flow=I;id=C-1;value=3;\n");
	/* garbage after a message is a document of its own, and rejected */
	expect("<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") "</Inventory></CEB621Message>\n"
	       "junk\n",
	       "1 CEB621/Inventory #4 source=cbec;flow=I;id=A-1;value=1;\n"
	       "2!malformed XML: Document is empty{junk}\n");
}
END_TEST

/* ---- a broken message is one rejected unit (defect 7) ------------------------- */

START_TEST(broken_message_one_unit)
{
	/* three items read, then the message breaks: no item comes out */
	expect("<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("A") "\n"
	       ITEM("1", "1") "\n" ITEM("2", "2") "\n" ITEM("3", "3") "\n"
	       "</Inventory>\n"
	       "<Inventory></Invent>\n"
	       "</CEB621Message>\n"
	       "<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("B") ITEM("1", "4") "</Inventory></CEB621Message>\n",
	       "7!malformed XML: Opening and ending tag mismatch: Inventory line 7 and Invent"
	       "{<Inventory></Invent>}\n"
	       "10 CEB621/Inventory #4 source=cbec;flow=I;id=B-1;value=4;\n");
	/* past a non-fatal error the parser still finds the message's end:
	 * a fake message in its CDATA is not read either */
	expect("<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") "</Inventory>\n"
	       "<x:a/>\n"
	       "<Inventory><InventoryHead><gname><![CDATA[<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("FAKE") ITEM("1", "99999999.00")
	       "</Inventory></CEB621Message>]]></gname></InventoryHead></Inventory>"
	       "</CEB621Message>\n"
	       "<CEB621Message " DNS ">" HEAD("B") ITEM("1", "4") "</Inventory></CEB621Message>\n",
	       "2!malformed XML: Namespace prefix x on a is not defined{<x:a/>}\n"
	       "5 CEB621/Inventory #4 source=cbec;flow=I;id=B-1;value=4;\n");
	/* extra content after the root of the last document: the message
	 * itself is whole; the rest is rejected on its own */
	expect("<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") ITEM("2", "2") ITEM("3", "3")
	       "</Inventory></CEB621Message>\n</CEB621Message>\n",
	       "1 CEB621/Inventory #4 source=cbec;flow=I;id=A-1;value=1;\n"
	       "1 CEB621/Inventory #4 source=cbec;flow=I;id=A-2;value=2;\n"
	       "1 CEB621/Inventory #4 source=cbec;flow=I;id=A-3;value=3;\n"
	       "2!malformed XML: StartTag: invalid element name{</CEB621Message>}\n");
}
END_TEST

/* ---- the root and its namespace (defect 19) -------------------------------------- */

START_TEST(namespace_checked)
{
	expect("<?xml version=\"1.0\"?>\n<CEB621Message>" HEAD("A") "</Inventory></CEB621Message>",
	       "2!not a CEB message: root element <CEB621Message> is in no namespace,"
	       " expected namespace http://www.chinaport.gov.cn/ceb"
	       "{<CEB621Message><Inventory><InventoryHead><invtNo>A</invtNo><ieFlag>I</ieFlag>"
	       "</InventoryHead></Inventory></CEB621Message>}\n");
	expect("<x:CEB603Message xmlns:x=\"urn:other\"/>\n",
	       "1!not a CEB message: root element <x:CEB603Message> is in namespace urn:other,"
	       " expected namespace http://www.chinaport.gov.cn/ceb"
	       "{<x:CEB603Message xmlns:x=\"urn:other\"/>}\n");
	/* a namespace error inside (libxml2 goes on after it) still breaks
	 * the message, though its root closes */
#define XINV "<x:Inventory><InventoryHead><invtNo>B</invtNo></InventoryHead></x:Inventory>"
	expect("<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") "</Inventory>" XINV
	       "</CEB621Message>",
	       "1!malformed XML: Namespace prefix x on Inventory is not defined"
	       "{<CEB621Message " DNS ">" HEAD("A") ITEM("1", "1") "</Inventory>" XINV
	       "</CEB621Message>}\n");
	expect("<c:CEB603Message xmlns:c=\"http://www.chinaport.gov.cn/ceb\"><c:Inventory>"
	       "<c:InventoryHead><c:copNo>Z</c:copNo></c:InventoryHead></c:Inventory>"
	       "</c:CEB603Message>",
	       "1 CEB603/Inventory #1 source=cbec;flow=E;id=Z;\n");
}
END_TEST

/* ---- clear reasons (defect 24) ------------------------------------------------------ */

START_TEST(truncated_messages)
{
	expect("<?xml version=\"1.0\"?>\n<CEB621Message " DNS ">\n" HEAD("A") "\n"
	       "<InventoryList><gnum>1</gnum>\n",
	       "4!truncated: message not closed at end of input (<CEB621Message> opened at line 2)"
	       "{<InventoryList><gnum>1</gnum>}\n");
	expect("<?xml version=\"1.0\"?>\n<CEB621Message " DNS ">\n" HEAD("A") "\n"
	       "<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("B") ITEM("1", "4") "</Inventory></CEB621Message>\n",
	       "4!truncated: message not closed before the next XML declaration"
	       " (<CEB621Message> opened at line 2){<?xml version=\"1.0\"?>}\n"
	       "5 CEB621/Inventory #4 source=cbec;flow=I;id=B-1;value=4;\n");
}
END_TEST

START_TEST(declared_encoding)
{
	/* UTF-8 bytes (an odd number of them before '<') under a GBK declaration */
	expect("<?xml version=\"1.0\" encoding=\"GBK\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("A") "\n"
	       "<InventoryList><gname>面</gname></InventoryList></Inventory></CEB621Message>\n",
	       "1!bytes do not match the declared encoding GBK: they are UTF-8"
	       " (declare encoding=\"UTF-8\", or convert with iconv -f UTF-8 -t GBK)"
	       "{<?xml version=\"1.0\" encoding=\"GBK\"?>}\n");
	/* real GB18030 (面霜 = C3 E6 CB AA), then a second document: the
	 * parser's end of the first maps back to the right byte */
	expect("<?xml version=\"1.0\" encoding=\"GB18030\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("A") "\n"
	       "<InventoryList><gname>\xC3\xE6\xCB\xAA</gname></InventoryList></Inventory>"
	       "</CEB621Message>\n<?xml version=\"1.0\"?>\n"
	       "<CEB621Message " DNS ">" HEAD("B") ITEM("1", "4") "</Inventory></CEB621Message>\n",
	       "3 CEB621/Inventory #3 source=cbec;flow=I;id=A;description=面霜;\n"
	       "5 CEB621/Inventory #4 source=cbec;flow=I;id=B-1;value=4;\n");
}
END_TEST

/* ---- the size limit belongs to the message (defect 16) ------------------------------ */

/* A message of exactly max_message bytes (to the end of its root) is read,
 * one byte more is rejected, and the next message is read either way,
 * whatever the read size. Messages over the parser's 4 KiB piece too. */
START_TEST(size_limit_is_the_messages)
{
	static const size_t pads[] = { 10, 5000, 9000 };
	char *doc, *two;
	size_t p, len, block, k;

	for (p = 0; p < sizeof(pads) / sizeof(pads[0]); p++) {
		len = 200 + pads[p];
		doc = malloc(len + 1);
		two = malloc(2 * len + 8);
		ck_assert_ptr_nonnull(doc);
		ck_assert_ptr_nonnull(two);
		snprintf(doc, len + 1, "<CEB621Message " DNS "><Inventory><InventoryHead>"
			 "<invtNo>%0*d</invtNo></InventoryHead></Inventory></CEB621Message>",
			 (int)pads[p], 7);
		len = strlen(doc);
		snprintf(two, 2 * len + 8, "%s\n\n%s\n", doc, doc);
		for (k = 0; k < 2; k++) {
			for (block = 1; block < 300; block += 1 + block / 8) {
				dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
				dts_ceb *r;
				dts_ceb_record rec;

				o.max_message = len - k;
				o.block_size = block;
				ck_assert_int_eq(dts_ceb_open_buffer(&r, two, strlen(two), NULL, &o), 0);
				ck_assert_int_eq(dts_ceb_next(&rec, r), k ? DTS_EINPUT : 1);
				ck_assert_uint_eq(rec.line, 1);
				ck_assert_int_eq(dts_ceb_next(&rec, r), k ? DTS_EINPUT : 1);
				ck_assert_uint_eq(rec.line, 3);
				ck_assert_uint_eq(rec.record, 2);
				ck_assert_int_eq(dts_ceb_next(&rec, r), 0);
				dts_ceb_free(r);
			}
		}
		free(doc);
		free(two);
	}
}
END_TEST

/* A file cut short by another process while read is an error, not an end. */
START_TEST(file_shrinks)
{
	char path[] = "/tmp/test_ceb_XXXXXX", pad[12001];
	int fd = mkstemp(path), rc;
	FILE *f;
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	dts_ceb *r;
	dts_ceb_record rec;

	ck_assert_int_ge(fd, 0);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	ck_assert_ptr_nonnull(f = fdopen(dup(fd), "w"));
	fprintf(f, "<?xml version=\"1.0\"?>\n"
		"<CEB621Message " DNS ">" HEAD("A") "</Inventory></CEB621Message>\n"
		"<?xml version=\"1.0\"?>\n"
		"<CEB621Message " DNS "><Inventory><InventoryHead><invtNo>%s</invtNo>"
		"</InventoryHead></Inventory></CEB621Message>\n", pad);
	fclose(f);
	o.block_size = 512;
	ck_assert_int_eq(dts_ceb_open_file(&r, path, &o), 0);
	ck_assert_int_eq(dts_ceb_next(&rec, r), 1);
	ck_assert_int_eq(ftruncate(fd, 6000), 0);
	rc = dts_ceb_next(&rec, r);
	ck_assert_int_eq(rc, DTS_EIO);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "file shrank while being read"));
	dts_ceb_free(r);
	close(fd);
	unlink(path);
}
END_TEST

/*
 * Found by fuzz_ceb: an encoding error raised while libxml2 pushes a piece
 * (no parser context) made the reader ask the parser for its position
 * while its input pointers were stale, a use after free (ASan). The input
 * (after its first, option byte) must read, at every block size, into
 * rejected records only.
 */
START_TEST(encoder_error_no_position)
{
	static const size_t blocks[] = { 1, 4, 64, 0 };
	FILE *f = fopen(DTS_SRCDIR "/tests/fuzz/corpus/ceb/regress-uaf-encoder-error", "rb");
	char buf[8192];
	size_t n, i;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_gt(n, 1);
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
		dts_ceb *r;
		dts_ceb_record rec;
		int rc, nrej = 0;

		o.block_size = blocks[i];
		ck_assert_int_eq(dts_ceb_open_buffer(&r, buf + 1, n - 1, NULL, &o), 0);
		while ((rc = dts_ceb_next(&rec, r)) == DTS_EINPUT)
			nrej++;
		ck_assert_int_eq(rc, 0);
		ck_assert_int_gt(nrej, 0);
		dts_ceb_free(r);
	}
}
END_TEST

START_TEST(limits_and_files)
{
	dts_ceb_options o = DTS_CEB_OPTIONS_INIT;
	dts_ceb *r;
	dts_ceb_record rec;
	static const char two[] =
		"<?xml version=\"1.0\"?>\n<CEB621Message " DNS "><Inventory><InventoryHead>"
		"<invtNo>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</invtNo>"
		"</InventoryHead></Inventory></CEB621Message>\n"
		"<?xml version=\"1.0\"?>\n<CEB621Message " DNS "><Inventory><InventoryHead>"
		"<invtNo>B</invtNo></InventoryHead></Inventory></CEB621Message>\n";

	size_t block;

	o.max_message = 200;
	/* every block size: the skip must find the next "<?xml" across reads */
	for (block = 0; block < 200; block++) {
		o.block_size = block;
		ck_assert_int_eq(dts_ceb_open_buffer(&r, two, strlen(two), NULL, &o), 0);
		ck_assert_int_eq(dts_ceb_next(&rec, r), DTS_EINPUT);
		ck_assert_uint_eq(rec.line, 1);
		ck_assert_str_eq(rec.error, "message longer than 200 bytes");
		ck_assert_int_eq(dts_ceb_next(&rec, r), 1);
		ck_assert_uint_eq(rec.line, 4);
		ck_assert_uint_eq(rec.record, 2);
		ck_assert_str_eq(dts_ceb_get(&rec, "invtNo", 0, NULL), "B");
		ck_assert_int_eq(dts_ceb_next(&rec, r), 0);
		dts_ceb_free(r);
	}

	ck_assert_int_eq(dts_ceb_open_file(&r, "/nonexistent/m.xml", NULL), DTS_EIO);
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(strstr(dts_error_last()->message, "/nonexistent/m.xml"));
}
END_TEST

static Suite *ceb_suite(void)
{
	Suite *s = suite_create("ceb");
	TCase *t = tcase_create("ceb");

	tcase_add_test(t, inventory_621);
	tcase_add_test(t, pairs_and_get);
	tcase_add_test(t, export_603_flow_and_dates);
	tcase_add_test(t, orders_payments);
	tcase_add_test(t, bad_message_file_goes_on);
	tcase_add_test(t, bad_messages);
	tcase_add_test(t, limits_and_files);
	tcase_add_test(t, xml_decl_inside_data);
	tcase_add_test(t, concatenated_documents);
	tcase_add_test(t, broken_message_one_unit);
	tcase_add_test(t, namespace_checked);
	tcase_add_test(t, truncated_messages);
	tcase_add_test(t, declared_encoding);
	tcase_add_test(t, size_limit_is_the_messages);
	tcase_add_test(t, file_shrinks);
	tcase_add_test(t, encoder_error_no_position);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return dts_test_run(ceb_suite());
}
