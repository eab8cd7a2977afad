using Google.Protobuf;
using Google.Protobuf.Reflection;
using Qdrant.Client.Grpc;

// Qdrant.Client ships no .proto files, but its generated reflection classes hold each file's serialized
// FileDescriptorProto. Writing them out as a FileDescriptorSet lets protoc (--descriptor_set_in) generate the
// server's service bases at build time, so no Qdrant source is copied into this repository.
//
// The files that declare the services Quiver serves are moved into their own C# namespace (the argument): their
// generated service classes (Points, Collections, Snapshots, Qdrant) then do not clash with Qdrant.Client's client
// classes of the same names, while the messages of points.proto, collections.proto and the others stay Qdrant.Client's
// own types, which the server reuses instead of compiling a second copy.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Quiver.Server.Descriptors OUTPUT.pb CSHARP-NAMESPACE");
    return 2;
}

string[] services = ["collections_service.proto", "points_service.proto", "snapshots_service.proto", "qdrant.proto"];
var set = new FileDescriptorSet();
var written = new HashSet<string>(StringComparer.Ordinal);
Add(QdrantReflection.Descriptor);

var output = args[0];
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
var temporary = output + ".tmp";
File.WriteAllBytes(temporary, set.ToByteArray());
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"{output}: {set.File.Count} files ({string.Join(", ", set.File.Select(f => f.Name))})");
return 0;

// Dependencies first, as protoc reads a descriptor set.
void Add(FileDescriptor file)
{
    if (!written.Add(file.Name))
    {
        return;
    }

    foreach (var dependency in file.Dependencies)
    {
        Add(dependency);
    }

    var proto = FileDescriptorProto.Parser.ParseFrom(file.SerializedData);
    if (services.Contains(file.Name))
    {
        proto.Options ??= new Google.Protobuf.Reflection.FileOptions();
        proto.Options.CsharpNamespace = args[1];
    }

    set.File.Add(proto);
}
