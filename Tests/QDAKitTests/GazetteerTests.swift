import Foundation
import QDACodebook
import QDAKitTestSupport
import QDAMatching
import QDAText
import Testing

@testable import QDAKit

/// The bundled gazetteer of China, checked against data it was not written from.
@Suite struct ChinaGazetteerTests {
    static let root = Fixtures.repositoryRoot
    static let gazetteer: Gazetteer? = try? GazetteerLoader().load(path: root + "/codebooks/gazetteer/china.yaml")
    static let finder: RegionFinder? = gazetteer.map { RegionFinder(gazetteer: $0) }

    /// Province-level divisions by the first two digits of their administrative code:
    /// English name, simplified and traditional Chinese names.
    static let provinces: [String: (String, String, String)] = [
        "11": ("Beijing", "北京", "北京"), "12": ("Tianjin", "天津", "天津"), "13": ("Hebei", "河北", "河北"),
        "14": ("Shanxi", "山西", "山西"), "15": ("Inner Mongolia", "内蒙古", "內蒙古"), "21": ("Liaoning", "辽宁", "遼寧"),
        "22": ("Jilin", "吉林", "吉林"), "23": ("Heilongjiang", "黑龙江", "黑龍江"), "31": ("Shanghai", "上海", "上海"),
        "32": ("Jiangsu", "江苏", "江蘇"), "33": ("Zhejiang", "浙江", "浙江"), "34": ("Anhui", "安徽", "安徽"),
        "35": ("Fujian", "福建", "福建"), "36": ("Jiangxi", "江西", "江西"), "37": ("Shandong", "山东", "山東"),
        "41": ("Henan", "河南", "河南"), "42": ("Hubei", "湖北", "湖北"), "43": ("Hunan", "湖南", "湖南"),
        "44": ("Guangdong", "广东", "廣東"), "45": ("Guangxi", "广西", "廣西"), "46": ("Hainan", "海南", "海南"),
        "50": ("Chongqing", "重庆", "重慶"), "51": ("Sichuan", "四川", "四川"), "52": ("Guizhou", "贵州", "貴州"),
        "53": ("Yunnan", "云南", "雲南"), "54": ("Tibet", "西藏", "西藏"), "61": ("Shaanxi", "陕西", "陝西"),
        "62": ("Gansu", "甘肃", "甘肅"), "63": ("Qinghai", "青海", "青海"), "64": ("Ningxia", "宁夏", "寧夏"),
        "65": ("Xinjiang", "新疆", "新疆"), "71": ("Taiwan", "台湾", "台灣"), "81": ("Hong Kong", "香港", "香港"),
        "82": ("Macao", "澳门", "澳門"),
    ]

    /// Cities researchers name in English, with their province (written by hand).
    static let englishCities: [(String, String)] = [
        ("Shenzhen", "Guangdong"), ("Guangzhou", "Guangdong"), ("Canton", "Guangdong"), ("Dongguan", "Guangdong"),
        ("Foshan", "Guangdong"), ("Zhuhai", "Guangdong"), ("Hangzhou", "Zhejiang"), ("Wenzhou", "Zhejiang"),
        ("Ningbo", "Zhejiang"), ("Yiwu", "Zhejiang"), ("Suzhou", "Jiangsu"), ("Nanjing", "Jiangsu"),
        ("Wuxi", "Jiangsu"),
        ("Kunshan", "Jiangsu"), ("Guiyang", "Guizhou"), ("Zunyi", "Guizhou"), ("Chengdu", "Sichuan"),
        ("Mianyang", "Sichuan"), ("Wuhan", "Hubei"), ("Changsha", "Hunan"), ("Xi'an", "Shaanxi"), ("Xian", "Shaanxi"),
        ("Hefei", "Anhui"), ("Zhengzhou", "Henan"), ("Jinan", "Shandong"), ("Qingdao", "Shandong"),
        ("Xiamen", "Fujian"), ("Fuzhou", "Fujian"), ("Shenyang", "Liaoning"), ("Dalian", "Liaoning"),
        ("Harbin", "Heilongjiang"), ("Changchun", "Jilin"), ("Kunming", "Yunnan"), ("Nanning", "Guangxi"),
        ("Lhasa", "Tibet"), ("Urumqi", "Xinjiang"), ("Hohhot", "Inner Mongolia"), ("Lanzhou", "Gansu"),
        ("Xining", "Qinghai"), ("Yinchuan", "Ningxia"), ("Taiyuan", "Shanxi"), ("Shijiazhuang", "Hebei"),
        ("Nanchang", "Jiangxi"), ("Haikou", "Hainan"), ("Sanya", "Hainan"), ("Zhongguancun", "Beijing"),
        ("Haidian", "Beijing"), ("Pudong", "Shanghai"), ("Zhangjiang", "Shanghai"), ("Qianhai", "Guangdong"),
        ("Binhai New Area", "Tianjin"), ("Xiong'an", "Hebei"), ("Cantonese", "Guangdong"), ("Peking", "Beijing"),
        ("Macau", "Macao"), ("Szechuan", "Sichuan"),
    ]

    @Test func loadsWithEveryProvinceLevelDivision() throws {
        let gazetteer = try #require(Self.gazetteer)
        #expect(gazetteer.regions.count == 34)
        #expect(Set(gazetteer.regions.map(\.name)) == Set(Self.provinces.values.map(\.0)))
    }

    @Test func resolvesProvinceNamesInEnglishAndChinese() throws {
        let gazetteer = try #require(Self.finder)
        for (english, simplified, traditional) in Self.provinces.values {
            #expect(gazetteer.resolve(english) == english)
            #expect(gazetteer.resolve(english.uppercased()) == english)
            #expect(gazetteer.resolve(simplified) == english, "\(simplified)")
            #expect(gazetteer.resolve(traditional) == english, "\(traditional)")
        }
    }

    @Test func resolvesEveryPrefectureLevelCityToItsProvince() throws {
        let gazetteer = try #require(Self.finder)
        let csv = try String(contentsOfFile: Self.root + "/Tests/QDAKitTests/Fixtures/prefectures.csv", encoding: .utf8)
        var checked = 0
        for line in csv.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("adcode") {
            let fields = line.split(separator: ",")
            let province = try #require(Self.provinces[String(fields[0].prefix(2))]).0
            let name = String(fields[1])
            #expect(gazetteer.resolve(name) == province, "\(name) should be in \(province)")
            checked += 1
        }
        #expect(checked > 330)
    }

    @Test func everyPrefectureHasAnEnglishNameThatLeadsToItsProvince() throws {
        let gazetteer = try #require(Self.gazetteer)
        let finder = try #require(Self.finder)
        var checked = 0
        for region in gazetteer.regions {
            for place in region.places where place.type == "prefecture" {
                let english = place.names.filter { $0.unicodeScalars.allSatisfy(\.isASCII) }
                #expect(!english.isEmpty, "\(place.name) has no English name")
                for name in english {
                    #expect(finder.resolve(name) == region.name, "\(name) should be in \(region.name)")
                }
                checked += 1
            }
        }
        #expect(checked > 330)
    }

    @Test func everyPlaceOfTheGazetteerHasAChineseName() throws {
        let gazetteer = try #require(Self.gazetteer)
        for region in gazetteer.regions {
            for place in region.places {
                #expect(place.names.contains { $0.unicodeScalars.contains(where: ScriptClass.isCJK) }, "\(place.name)")
            }
        }
    }

    @Test func resolvesCitiesAndZonesResearchersNameInEnglish() throws {
        let gazetteer = try #require(Self.finder)
        for (name, province) in Self.englishCities {
            #expect(gazetteer.resolve(name) == province, "\(name) should be in \(province)")
        }
    }

    @Test func groupingsHaveTheirMembers() throws {
        let gazetteer = try #require(Self.gazetteer)
        let byName = Dictionary(uniqueKeysWithValues: gazetteer.groupings.map { ($0.name, $0) })
        #expect(byName["Pearl River Delta"]?.members == ["Guangdong"])
        #expect(byName["Yangtze River Delta"]?.members == ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"])
        #expect(byName["Jing-Jin-Ji"]?.members == ["Beijing", "Tianjin", "Hebei"])
        #expect(byName["Chengdu-Chongqing"]?.members == ["Sichuan", "Chongqing"])
        #expect(gazetteer.groupingSets == ["cluster", "macro"])
        // The four macro-regions cover the 31 mainland divisions once each.
        let macro = gazetteer.groupings.filter { $0.set == "macro" }.flatMap(\.members)
        #expect(macro.count == 31)
        #expect(Set(macro).count == 31)
        // A grouping of one region stands for it.
        let finder = try #require(Self.finder)
        #expect(finder.resolve("珠三角") == "Guangdong")
        #expect(finder.resolve("PRD") == "Guangdong")
    }

    @Test func ambiguousNamesDoNotPlaceText() throws {
        let finder = try #require(Self.finder)
        #expect(finder.mentions(in: "阿里巴巴的总部在杭州").map(\.region) == ["Zhejiang"])
        #expect(finder.mentions(in: "社会长治久安，中山路上").isEmpty)
        #expect(finder.mentions(in: "Ali Baba and the capital market").isEmpty)
        // The longest name wins: the park is in Jiangsu, and so is the city.
        let park = finder.mentions(in: "the Suzhou Industrial Park")
        #expect(park.map(\.region) == ["Jiangsu"])
        #expect(park.map { $0.end - $0.start } == ["Suzhou Industrial Park".unicodeScalars.count])
        #expect(
            finder.mentions(in: "Firms in Shenzhen and 深圳 and Guìzhōu").map(\.region) == [
                "Guangdong", "Guangdong", "Guizhou",
            ])
    }
}

@Suite struct GazetteerLoaderTests {
    func problems(_ yaml: String) -> [String] {
        do {
            _ = try GazetteerLoader().parse(yaml: yaml, path: "g.yaml")
            return []
        } catch CodebookError.invalidGazetteer(_, let problems) {
            return problems.map { $0.formatted(file: "g.yaml") }
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aNameOfTwoRegionsIsAnError() {
        let yaml = """
            gazetteer: Test
            regions:
              - name: North
                names: [Nord, Upland]
              - name: South
                names: [Sud, upland]
            """
        #expect(
            problems(yaml) == [
                "g.yaml:6: error: region 'South': the name 'upland' is also given to North on line 4; a name must stand for one region."
            ])
    }

    @Test func groupingMembersMustBeRegions() {
        let yaml = """
            gazetteer: Test
            regions:
              - {name: North}
            groupings:
              - {name: All, set: macro, members: [North, Atlantis]}
            """
        #expect(
            problems(yaml) == [
                "g.yaml:5: error: grouping 'All': the member 'Atlantis' is not a region of this gazetteer."
            ])
    }

    @Test func unknownFieldsAndMissingNamesAreReported() {
        let yaml = """
            gazetteer: Test
            regions:
              - {nme: North}
            """
        let found = problems(yaml)
        #expect(found.contains { $0.contains("g.yaml:3: error: a region: unknown field 'nme'. Did you mean 'name'?") })
        #expect(found.contains { $0.contains("the field 'name' is required") })
    }
}
