namespace Quiver.Catalogue.Import.TfJs;

/// <summary>
/// TensorFlow's DataType enum (tensorflow/core/framework/types.proto), with the numbers a GraphDef's JSON uses when
/// it writes a type as a number rather than as its name ("DT_FLOAT").
/// </summary>
internal enum TfDataType
{
    Invalid = 0,
    Float = 1,
    Double = 2,
    Int32 = 3,
    UInt8 = 4,
    Int16 = 5,
    Int8 = 6,
    String = 7,
    Int64 = 9,
    Bool = 10,
    UInt16 = 17,
    Half = 19,
}
